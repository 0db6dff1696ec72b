using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Settlement.Orders;

namespace Marketplace.Settlement.Journal;

/// <summary>
/// The trade journal: every order state change appended, in the same transaction as the change, with a position
/// (1, 2, 3 … with no gaps) and a hash chained to the previous entry's:
/// <c>hash = SHA-256(prev_hash ␊ position ␊ order id ␊ order version ␊ state ␊ actor ␊ recorded at ␊ detail)</c>,
/// the detail being the order as it stood (compact JSON, stored verbatim). Appends queue on the head row's lock (taken and
/// read in one statement), so the chain is one line. Editing, deleting, inserting or reordering rows breaks the chain at that entry, and
/// <see cref="VerifyAsync"/> says where. (Cutting entries off the end is caught by the head row and by vouchers,
/// which carry the position and hash they were issued at.)
/// </summary>
public static class TradeJournal
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Locks the head row for the rest of the transaction and reads it, in one statement.</summary>
    private const string TakeHeadSqlServer = "UPDATE settlement.journal_head SET position = position OUTPUT inserted.position, inserted.hash WHERE id = 1";

    private const string TakeHeadSqlite = "UPDATE settlement.journal_head SET position = position WHERE id = 1 RETURNING position, hash";

    internal const string HeadSql = "SELECT position, hash FROM settlement.journal_head WHERE id = 1";

    private const string InsertSql = """
        INSERT INTO settlement.trade_journal (position, order_id, order_version, state, detail, actor_id, recorded_at, prev_hash, hash)
        VALUES (@Position, @OrderId, @OrderVersion, @State, @Detail, @ActorId, @RecordedAt, @PrevHash, @Hash)
        """;

    private const string MoveHeadSql = "UPDATE settlement.journal_head SET position = @Position, hash = @Hash WHERE id = 1";

    /// <summary>An entry's columns, in the order <see cref="JournalEntry"/> and the verifier read them.</summary>
    internal const string Columns = "position, order_id, order_version, state, detail, actor_id, recorded_at, prev_hash, hash";

    private const string ForOrderSql = $"SELECT {Columns} FROM settlement.trade_journal WHERE order_id = @OrderId ORDER BY position";

    public static async Task<JournalEntry> AppendAsync(UnitOfWork uow, Order order, Guid? actor, DateTimeOffset now)
    {
        var head = (await uow.QuerySingleOrDefaultAsync<Head>(uow.Sql(TakeHeadSqlServer, TakeHeadSqlite)))!;
        var entry = new JournalEntry
        {
            Position = head.Position + 1,
            OrderId = order.Id,
            OrderVersion = order.Version,
            State = order.Status.ToString(),
            Detail = JsonSerializer.Serialize(order.ToResponse(), Order.Json),
            ActorId = actor,
            RecordedAt = now,
            PrevHash = head.Hash,
        };
        entry = entry with { Hash = HashOf(entry) };
        await uow.ExecuteAsync(InsertSql, entry);
        await uow.ExecuteAsync(MoveHeadSql, new { entry.Position, entry.Hash });
        return entry;
    }

    public static async Task<IReadOnlyList<JournalEntry>> ForOrderAsync(
        System.Data.Common.DbConnection connection, Guid orderId, System.Data.Common.DbTransaction? transaction = null) =>
        (await connection.QueryAsync<JournalEntry>(ForOrderSql, new { OrderId = orderId }, transaction)).AsList();

    /// <summary>
    /// Walks the whole journal in order; the first entry whose position, link or hash does not hold is reported.
    /// <paramref name="ranges"/> splits the walk into that many parallel ranges (default: one per core from
    /// 100,000 entries); the answer is the same however it is split (<see cref="JournalVerifier"/>).
    /// </summary>
    public static Task<JournalVerification> VerifyAsync(SettlementDb db, CancellationToken ct, int? ranges = null) =>
        JournalVerifier.VerifyAsync(db, ranges, ct);

    public static string HashOf(JournalEntry e)
    {
        var buffer = Array.Empty<byte>();
        var length = WriteLink(ref buffer, e.PrevHash, e.Position, e.OrderId, e.OrderVersion, e.State, e.ActorId, e.RecordedAt, Encoding.UTF8.GetBytes(e.Detail));
        return Convert.ToHexStringLower(SHA256.HashData(buffer.AsSpan(0, length)));
    }

    /// <summary>
    /// Writes the bytes a link hashes into <paramref name="buffer"/> (grown when short) and returns their length: UTF-8 of
    /// <c>prev_hash ␊ position ␊ order id ␊ version ␊ state ␊ actor or "-" ␊ recorded at (UTC, to the tick) ␊ detail</c>.
    /// The one definition of a link, for appending and for verifying. The detail comes as its UTF-8 bytes, so a verifier
    /// reading SQLite's stored text needs no round trip through a string.
    /// </summary>
    internal static int WriteLink(
        ref byte[] buffer, string prevHash, long position, Guid orderId, int version, string state, Guid? actor, DateTimeOffset recordedAt,
        ReadOnlySpan<byte> detail)
    {
        var most = Encoding.UTF8.GetMaxByteCount(prevHash.Length + state.Length) + detail.Length + 160;
        if (buffer.Length < most)
        {
            buffer = new byte[most * 2];
        }

        var span = buffer.AsSpan();
        var n = Encoding.UTF8.GetBytes(prevHash, span);
        span[n++] = (byte)'\n';
        position.TryFormat(span[n..], out var w, default, CultureInfo.InvariantCulture);
        n += w;
        span[n++] = (byte)'\n';
        orderId.TryFormat(span[n..], out w, "D");
        n += w;
        span[n++] = (byte)'\n';
        version.TryFormat(span[n..], out w, default, CultureInfo.InvariantCulture);
        n += w;
        span[n++] = (byte)'\n';
        n += Encoding.UTF8.GetBytes(state, span[n..]);
        span[n++] = (byte)'\n';
        if (actor is { } a)
        {
            a.TryFormat(span[n..], out w, "D");
            n += w;
        }
        else
        {
            span[n++] = (byte)'-';
        }

        span[n++] = (byte)'\n';
        recordedAt.UtcDateTime.TryFormat(span[n..], out w, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        n += w;
        span[n++] = (byte)'\n';
        detail.CopyTo(span[n..]);
        return n + detail.Length;
    }

    internal sealed record Head
    {
        public long Position { get; init; }

        public string Hash { get; init; } = "";
    }
}

public sealed record JournalEntry
{
    public long Position { get; init; }

    public Guid OrderId { get; init; }

    public int OrderVersion { get; init; }

    public string State { get; init; } = "";

    public string Detail { get; init; } = "";

    public Guid? ActorId { get; init; }

    public DateTimeOffset RecordedAt { get; init; }

    public string PrevHash { get; init; } = "";

    public string Hash { get; init; } = "";
}

/// <summary>OK, or the first position where the chain breaks and why; <see cref="VerifiedThrough"/> and <see cref="HeadHash"/> are the last good link.</summary>
public sealed record JournalVerification(bool Ok, long VerifiedThrough, string HeadHash, long? BrokenAt, string? Problem);
