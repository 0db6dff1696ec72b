using System.Security.Cryptography;
using Dapper;
using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Settlement.Journal;

/// <summary>
/// Walks the whole journal and reports the first entry whose position, link or hash does not hold. The chain is
/// split into consecutive position ranges verified in parallel, each on its own connection (each link's hash needs
/// only its own row and the previous row's stored hash), then the ranges are joined in order: a range's first link
/// is checked against the previous range's last hash, and the first problem in position order is the one reported —
/// the same answer a single walk gives. The first range has no lower bound and the last none above, so entries
/// outside 1…head (inserted before the start, appended past the head) are walked as a single walk would.
/// Rows are read with a raw reader (no row mapping) and each link is written into a reused buffer by
/// <see cref="TradeJournal.WriteLink"/>, the same bytes <see cref="TradeJournal.HashOf"/> hashes when appending.
/// </summary>
internal static class JournalVerifier
{
    private const string RangeSql = $"""
        SELECT {TradeJournal.Columns} FROM settlement.trade_journal
        WHERE (@From IS NULL OR position >= @From) AND (@To IS NULL OR position <= @To)
        ORDER BY position
        """;

    /// <summary>Below this many entries one walk is as fast as several.</summary>
    private const long ParallelFrom = 100_000;

    public static async Task<JournalVerification> VerifyAsync(SettlementDb db, int? ranges, CancellationToken ct)
    {
        TradeJournal.Head head;
        await using (var connection = await db.OpenAsync(ct))
        {
            head = await connection.QuerySingleAsync<TradeJournal.Head>(TradeJournal.HeadSql);
        }

        var (headPosition, headHash) = (head.Position, head.Hash);

        var parts = (int)Math.Max(1, Math.Min(ranges ?? (headPosition >= ParallelFrom ? Environment.ProcessorCount : 1), Math.Max(1, headPosition)));
        var size = headPosition / parts;
        var walks = Enumerable.Range(0, parts).Select(i =>
        {
            long? from = i == 0 ? null : (i * size) + 1;
            long? to = i == parts - 1 ? null : (i + 1) * size;
            var first = from ?? 1;
            return Task.Run(() => WalkAsync(db, from, to, first, ct), ct);
        }).ToArray();
        var results = await Task.WhenAll(walks);

        var previous = TradeJournal.Genesis;
        var expected = 1L;
        foreach (var range in results)
        {
            if (range.Problem is { } problem && problem.At == range.First && problem.IsPosition)
            {
                return Broken(problem.At, previous, problem.Message);
            }

            if (range.FirstPrevHash is { } link && link != previous)
            {
                return Broken(range.First, previous, "its link to the previous entry is broken: an entry before it was removed, inserted or reordered");
            }

            if (range.Problem is { } later)
            {
                return Broken(later.At, later.At == range.First ? previous : later.LastGoodHash, later.Message);
            }

            if (range.Count > 0)
            {
                previous = range.LastHash;
            }

            expected = range.First + range.Count;
        }

        return headPosition != expected - 1 || headHash != previous
            ? new JournalVerification(false, expected - 1, previous, expected, $"the journal ends at {expected - 1} but its head says {headPosition}: entries were cut off the end")
            : new JournalVerification(true, expected - 1, previous, null, null);
    }

    private static JournalVerification Broken(long at, string lastGoodHash, string problem) => new(false, at - 1, lastGoodHash, at, problem);

    private static async Task<Range> WalkAsync(SettlementDb db, long? from, long? to, long first, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(RangeSql, new { From = from, To = to }, cancellationToken: ct));
        var sqlite = db.Provider == DatabaseProvider.Sqlite;
        var buffer = new byte[4096];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var expected = first;
        string? firstPrev = null;
        string? previous = null;
        while (await reader.ReadAsync(ct))
        {
            var position = reader.GetInt64(0);
            var prevHash = reader.GetString(7);
            var hash = reader.GetString(8);
            string? problem = null;
            var isPosition = false;
            if (position != expected)
            {
                (problem, isPosition) = ($"expected position {expected}: an entry is missing or was inserted", true);
            }
            else if (previous is not null && prevHash != previous)
            {
                problem = "its link to the previous entry is broken: an entry before it was removed, inserted or reordered";
            }
            else if (!Matches(sha, ref buffer, prevHash, position, reader.GetGuid(1), reader.GetInt32(2), reader.GetString(3),
                         reader.IsDBNull(5) ? null : reader.GetGuid(5), reader.GetFieldValue<DateTimeOffset>(6), Detail(reader, sqlite), hash))
            {
                problem = "its content does not match its hash: it was edited";
            }

            if (problem is not null)
            {
                return new Range(first, expected - first, firstPrev ?? prevHash, previous ?? "", new Problem(expected, problem, isPosition, previous ?? ""));
            }

            firstPrev ??= prevHash;
            previous = hash;
            expected++;

            if (to is { } last && position == last)
            {
                break;
            }
        }

        if (to is { } end && expected <= end)
        {
            // A bounded range that ends early: the next entry is missing (the last range's end is the head check).
            return new Range(first, expected - first, firstPrev, previous ?? "", new Problem(expected, $"expected position {expected}: an entry is missing or was inserted", true, previous ?? ""));
        }

        return new Range(first, expected - first, firstPrev, previous ?? "", null);
    }

    /// <summary>
    /// The detail's UTF-8 bytes: on SQLite the stored text as it is (the very bytes appended, no decoding into a string
    /// and encoding back — a sixth of the walk); on SQL Server, whose column holds UTF-16, encoded from the string.
    /// </summary>
    private static byte[] Detail(System.Data.Common.DbDataReader reader, bool sqlite) =>
        sqlite ? reader.GetFieldValue<byte[]>(4) : System.Text.Encoding.UTF8.GetBytes(reader.GetString(4));

    /// <summary>Whether <paramref name="stored"/> is the hash <see cref="TradeJournal.HashOf"/> gives these fields.</summary>
    internal static bool Matches(
        IncrementalHash sha, ref byte[] buffer, string prevHash, long position, Guid orderId, int version, string state, Guid? actor, DateTimeOffset recordedAt,
        ReadOnlySpan<byte> detail, string stored)
    {
        var n = TradeJournal.WriteLink(ref buffer, prevHash, position, orderId, version, state, actor, recordedAt, detail);
        Span<byte> digest = stackalloc byte[32];
        sha.AppendData(buffer.AsSpan(0, n));
        sha.GetHashAndReset(digest);
        Span<char> hex = stackalloc char[64];
        Convert.TryToHexStringLower(digest, hex, out _);
        return stored.AsSpan().SequenceEqual(hex);
    }

    private sealed record Problem(long At, string Message, bool IsPosition, string LastGoodHash);

    /// <summary>A walked range: its first position, how many entries held, its first row's stored link (null: no rows), its last hash.</summary>
    private sealed record Range(long First, long Count, string? FirstPrevHash, string LastHash, Problem? Problem);
}
