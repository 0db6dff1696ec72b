using System.Diagnostics;
using Dapper;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Settlement;
using Marketplace.Settlement.Journal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marketplace.Benchmarks;

/// <summary>
/// Verifying the trade journal: writes a chain of N entries (each with a realistic ~900-byte order detail) into a
/// SQLite settlement database, then times <see cref="TradeJournal.VerifyAsync"/> over all of it, and prints the rate.
/// </summary>
internal static class JournalBenchmark
{
    public static async Task RunAsync(int entries)
    {
        var directory = Directory.CreateTempSubdirectory("marketplace-journal-").FullName;
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Sqlite",
                ["Database:SqliteDirectory"] = directory,
            }).Build();
            var db = new SettlementDb(configuration);
            await new Migrator(db, typeof(SettlementDb).Assembly, NullLogger.Instance).MigrateAsync();
            var write = Stopwatch.StartNew();
            var previous = TradeJournal.Genesis;
            var detail = "{" + string.Join(',', Enumerable.Range(0, 30).Select(i => $"\"field{i}\":\"value-{i}-0123456789\"")) + "}";
            var now = DateTimeOffset.UtcNow;
            const string insert = """
                INSERT INTO settlement.trade_journal (position, order_id, order_version, state, detail, actor_id, recorded_at, prev_hash, hash)
                VALUES (@Position, @OrderId, @OrderVersion, @State, @Detail, @ActorId, @RecordedAt, @PrevHash, @Hash)
                """;
            for (var batch = 0; batch < entries; batch += 10_000)
            {
                await using var uow = await db.BeginAsync();
                for (var i = batch; i < Math.Min(entries, batch + 10_000); i++)
                {
                    var entry = new JournalEntry
                    {
                        Position = i + 1, OrderId = Guid.CreateVersion7(), OrderVersion = (i % 5) + 1, State = "Completed", Detail = detail,
                        ActorId = null, RecordedAt = now.AddMilliseconds(i), PrevHash = previous,
                    };
                    entry = entry with { Hash = TradeJournal.HashOf(entry) };
                    await uow.ExecuteAsync(insert, entry);
                    previous = entry.Hash;
                }

                await uow.ExecuteAsync("UPDATE settlement.journal_head SET position = @Position, hash = @Hash WHERE id = 1", new { Position = (long)Math.Min(entries, batch + 10_000), Hash = previous });
                await uow.CommitAsync();
            }

            Console.WriteLine($"wrote {entries:N0} journal entries in {write.Elapsed.TotalSeconds:0.0} s");
            for (var run = 1; run <= 3; run++)
            {
                var verify = Stopwatch.StartNew();
                var result = await TradeJournal.VerifyAsync(db, default);
                Console.WriteLine($"run {run}: verified {result.VerifiedThrough:N0} entries ({(result.Ok ? "ok" : result.Problem)}) in {verify.Elapsed.TotalSeconds:0.00} s — {result.VerifiedThrough / verify.Elapsed.TotalSeconds:N0} entries/s");
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
