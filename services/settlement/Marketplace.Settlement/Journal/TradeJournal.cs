using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Settlement.Orders;

namespace Marketplace.Settlement.Journal;

/// <summary>
/// The trade journal: every order state change appended, in the same transaction as the change, with a position
/// (1, 2, 3 … with no gaps) and a hash chained to the previous entry's:
/// <c>hash = SHA-256(prev_hash ␊ position ␊ order id ␊ order version ␊ state ␊ actor ␊ recorded at ␊ detail)</c>,
/// the detail being what the change wrote (compact JSON, stored verbatim): the whole order at its first version, then
/// the fields each version changed — so each version can be rebuilt from the entries before it, and nothing is stored
/// twice. Appends queue on the head row's lock (taken and
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

    /// <summary>An order's entries without their details (what each change wrote), which a timeline does not show.</summary>
    private const string TimelineSql = """
        SELECT position, order_version, state, actor_id, recorded_at, hash FROM settlement.trade_journal WHERE order_id = @OrderId ORDER BY position
        """;

    /// <summary>Appends the change from <paramref name="before"/> (null for a new order) to <paramref name="order"/>.</summary>
    /// <summary>The order as stored when <paramref name="before"/> is null, else the fields that differ from it (a removed one as null).</summary>
    internal static string Change(Order? before, Order after)
    {
        var now = JsonSerializer.SerializeToNode(after.AsStored(), Order.Json)!.AsObject();
        if (before is null)
        {
            return now.ToJsonString(Order.Json);
        }

        var was = JsonSerializer.SerializeToNode(before.AsStored(), Order.Json)!.AsObject();
        var changed = new JsonObject();
        foreach (var (name, value) in now)
        {
            if (!JsonNode.DeepEquals(value, was[name]))
            {
                changed[name] = value?.DeepClone();
            }
        }

        foreach (var (name, _) in was.Where(p => !now.ContainsKey(p.Key)))
        {
            changed[name] = null;
        }

        return changed.ToJsonString(Order.Json);
    }

    public static async Task<JournalEntry> AppendAsync(UnitOfWork uow, Order? before, Order order, Guid? actor, DateTimeOffset now)
    {
        var head = (await uow.QuerySingleOrDefaultAsync<Head>(uow.Sql(TakeHeadSqlServer, TakeHeadSqlite)))!;
        var entry = new JournalEntry
        {
            Position = head.Position + 1,
            OrderId = order.Id,
            OrderVersion = order.Version,
            State = order.Status.ToString(),
            Detail = Change(before, order),
            ActorId = actor,
            RecordedAt = now,
            PrevHash = head.Hash,
        };
        entry = entry with { Hash = HashOf(entry) };
        await uow.ExecuteAsync(InsertSql, entry);
        await uow.ExecuteAsync(MoveHeadSql, new { entry.Position, entry.Hash });
        return entry;
    }

    /// <summary>An order's timeline: each of its entries' position, version, state, actor, time and hash.</summary>
    public static async Task<IReadOnlyList<TimelineEntry>> TimelineAsync(
        System.Data.Common.DbConnection connection, Guid orderId, System.Data.Common.DbTransaction? transaction = null) =>
        [.. (await connection.QueryAsync<JournalEntry>(TimelineSql, new { OrderId = orderId }, transaction))
            .Select(e => new TimelineEntry(e.Position, e.OrderVersion, e.State, e.ActorId, e.RecordedAt, e.Hash))];

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
        var length = WriteLink(
            ref buffer, Encoding.UTF8.GetBytes(e.PrevHash), e.Position, e.OrderId, e.OrderVersion, e.State, e.ActorId, e.RecordedAt,
            Encoding.UTF8.GetBytes(e.Detail));
        return Convert.ToHexStringLower(SHA256.HashData(buffer.AsSpan(0, length)));
    }

    /// <summary>Length of an instant in a link: <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>.</summary>
    internal const int InstantLength = 28;

    /// <summary>Length of an id in a link: lower-case hex with dashes.</summary>
    internal const int IdLength = 36;

    /// <summary>Writes an instant as a link holds it: UTC, to the tick, <see cref="InstantLength"/> bytes.</summary>
    internal static void WriteInstant(DateTimeOffset at, Span<byte> utf8) =>
        at.UtcDateTime.TryFormat(utf8, out _, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes an id as a link holds it: lower-case hex with dashes, <see cref="IdLength"/> bytes.</summary>
    internal static void WriteId(Guid id, Span<byte> utf8) => id.TryFormat(utf8, out _, "D");

    /// <summary>What a link holds for an entry with no actor.</summary>
    internal static ReadOnlySpan<byte> NoActor => "-"u8;

    /// <summary>The typed form of <see cref="WriteLink(ref byte[], ReadOnlySpan{byte}, long, ReadOnlySpan{byte}, int, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>: formats the id, actor and instant first.</summary>
    internal static int WriteLink(
        ref byte[] buffer, ReadOnlySpan<byte> prevHash, long position, Guid orderId, int version, string state, Guid? actor, DateTimeOffset recordedAt,
        ReadOnlySpan<byte> detail)
    {
        Span<byte> id = stackalloc byte[IdLength];
        WriteId(orderId, id);
        Span<byte> who = stackalloc byte[IdLength];
        if (actor is { } a)
        {
            WriteId(a, who);
        }

        Span<byte> at = stackalloc byte[InstantLength];
        WriteInstant(recordedAt, at);
        return WriteLink(ref buffer, prevHash, position, id, version, Encoding.UTF8.GetBytes(state), actor is null ? NoActor : who, at, detail);
    }

    /// <summary>
    /// Writes the bytes a link hashes into <paramref name="buffer"/> (grown when short) and returns their length: UTF-8 of
    /// <c>prev_hash ␊ position ␊ order id ␊ version ␊ state ␊ actor or "-" ␊ recorded at (UTC, to the tick) ␊ detail</c>.
    /// The one definition of a link, for appending and for verifying. The id, actor and instant come already in their
    /// link forms (<see cref="WriteId"/>, <see cref="WriteInstant"/>); every text comes as UTF-8 bytes, so a verifier
    /// reading SQLite's stored text needs no round trip through strings.
    /// </summary>
    internal static int WriteLink(
        ref byte[] buffer, ReadOnlySpan<byte> prevHash, long position, ReadOnlySpan<byte> orderId, int version, ReadOnlySpan<byte> state,
        ReadOnlySpan<byte> actor, ReadOnlySpan<byte> recordedAt, ReadOnlySpan<byte> detail)
    {
        var most = prevHash.Length + orderId.Length + state.Length + actor.Length + recordedAt.Length + detail.Length + 40;
        if (buffer.Length < most)
        {
            buffer = new byte[most * 2];
        }

        var span = buffer.AsSpan();
        var n = Put(span, 0, prevHash);
        position.TryFormat(span[n..], out var w, default, CultureInfo.InvariantCulture);
        n += w;
        span[n++] = (byte)'\n';
        n = Put(span, n, orderId);
        version.TryFormat(span[n..], out w, default, CultureInfo.InvariantCulture);
        n += w;
        span[n++] = (byte)'\n';
        n = Put(span, n, state);
        n = Put(span, n, actor);
        n = Put(span, n, recordedAt);
        detail.CopyTo(span[n..]);
        return n + detail.Length;

        static int Put(Span<byte> span, int at, ReadOnlySpan<byte> part)
        {
            part.CopyTo(span[at..]);
            span[at + part.Length] = (byte)'\n';
            return at + part.Length + 1;
        }
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
