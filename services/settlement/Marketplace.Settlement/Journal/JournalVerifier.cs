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
/// Rows come from <see cref="JournalRows"/> (on SQLite straight from the engine, as the stored UTF-8) and each link is
/// written into a reused buffer by <c>TradeJournal.WriteLink</c>, the same bytes <see cref="TradeJournal.HashOf"/>
/// hashes when appending.
/// </summary>
internal static class JournalVerifier
{
    /// <summary>Below this many entries one walk is as fast as several.</summary>
    private const long ParallelFrom = 100_000;

    /// <param name="adoNet">Read SQLite through the ADO.NET reader, as SQL Server is read (for the tests).</param>
    public static async Task<JournalVerification> VerifyAsync(SettlementDb db, int? ranges, CancellationToken ct, bool adoNet = false)
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
            return Task.Run(() => WalkAsync(db, from, to, first, adoNet, ct), ct);
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

    private static async Task<Range> WalkAsync(SettlementDb db, long? from, long? to, long first, bool adoNet, CancellationToken ct)
    {
        await using var rows = await JournalRows.OpenAsync(db, from, to, adoNet, ct);
        var buffer = new byte[4096];
        var expected = first;
        string? firstPrev = null;
        var previous = new byte[TradeJournal.Genesis.Length];
        var walked = false;
        while (await rows.ReadAsync(ct))
        {
            var position = rows.Position;
            string? problem = null;
            var isPosition = false;
            if (position != expected)
            {
                (problem, isPosition) = ($"expected position {expected}: an entry is missing or was inserted", true);
            }
            else if (walked && !rows.PrevHash.SequenceEqual(previous))
            {
                problem = "its link to the previous entry is broken: an entry before it was removed, inserted or reordered";
            }
            else if (!rows.TryWriteLink(ref buffer, out var length) || !Matches(buffer.AsSpan(0, length), rows.Hash))
            {
                problem = "its content does not match its hash: it was edited";
            }

            if (problem is not null)
            {
                var lastGood = walked ? Text(previous) : "";
                return new Range(first, expected - first, firstPrev ?? Text(rows.PrevHash), lastGood, new Problem(expected, problem, isPosition, lastGood));
            }

            firstPrev ??= Text(rows.PrevHash);
            rows.Hash.CopyTo(previous); // a matching hash is 64 bytes
            walked = true;
            expected++;

            if (to is { } last && position == last)
            {
                break;
            }
        }

        var lastHash = walked ? Text(previous) : "";
        if (to is { } end && expected <= end)
        {
            // A bounded range that ends early: the next entry is missing (the last range's end is the head check).
            return new Range(first, expected - first, firstPrev, lastHash, new Problem(expected, $"expected position {expected}: an entry is missing or was inserted", true, lastHash));
        }

        return new Range(first, expected - first, firstPrev, lastHash, null);
    }

    private static string Text(ReadOnlySpan<byte> utf8) => System.Text.Encoding.UTF8.GetString(utf8);

    /// <summary>Whether <paramref name="stored"/> (UTF-8) is the lower-case hex SHA-256 of <paramref name="link"/>.</summary>
    internal static bool Matches(ReadOnlySpan<byte> link, ReadOnlySpan<byte> stored)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(link, digest);
        Span<byte> hex = stackalloc byte[SHA256.HashSizeInBytes * 2];
        Convert.TryToHexStringLower(digest, hex, out _);
        return stored.SequenceEqual(hex);
    }

    private sealed record Problem(long At, string Message, bool IsPosition, string LastGoodHash);

    /// <summary>A walked range: its first position, how many entries held, its first row's stored link (null: no rows), its last hash.</summary>
    private sealed record Range(long First, long Count, string? FirstPrevHash, string LastHash, Problem? Problem);
}
