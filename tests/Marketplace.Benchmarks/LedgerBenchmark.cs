using Dapper;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Settlement;
using Marketplace.Settlement.Ledger;
using Marketplace.Settlement.Reconciliation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marketplace.Benchmarks;

/// <summary>
/// Balanced ledger entries per second on SQLite with <c>synchronous=FULL</c> (a real file, real fsyncs): one entry
/// per transaction, and group commit of concurrent requests; each both spread over many accounts and with every
/// entry touching one hot account (the exchange's fee revenue). Prints throughput, latency percentiles and
/// allocations, then reconciles the ledger.
/// </summary>
internal static class LedgerBenchmark
{
    private const int Participants = 200;

    public static async Task RunAsync(int entries, int concurrency)
    {
        var directory = Directory.CreateTempSubdirectory("marketplace-bench-").FullName;
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Sqlite",
                ["Database:SqliteDirectory"] = directory,
            }).Build();
            var db = new SettlementDb(configuration);
            await new Migrator(db, typeof(SettlementDb).Assembly, NullLogger.Instance).MigrateAsync();
            var ledger = new LedgerPoster(db);
            var accounts = await SeedAsync(db, ledger);

            Console.WriteLine($"Ledger on SQLite (WAL, synchronous=FULL), {entries} entries per run, {Environment.ProcessorCount} cores");
            Console.WriteLine($"{"scenario",-44} {"entries/s",10} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8} {"alloc/entry",12}");
            await Report("one per transaction", entries, 1, i => ledger.Transfer(db, accounts, i, hot: false));
            await Report("one per transaction, hot fee account", entries, 1, i => ledger.Transfer(db, accounts, i, hot: true));

            await using var committer = new GroupCommitter<SettlementDb>(db, NullLogger<GroupCommitter<SettlementDb>>.Instance);
            await Report($"group commit, {concurrency} concurrent", entries, concurrency, i => committer.RunAsync(uow => ledger.PostAsync(uow, accounts.Entry(i, hot: false), DateTimeOffset.UtcNow)));
            await Report($"group commit, {concurrency} concurrent, hot account", entries, concurrency, i => committer.RunAsync(uow => ledger.PostAsync(uow, accounts.Entry(i, hot: true), DateTimeOffset.UtcNow)));

            var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
            var report = await new Reconciler(db, TimeProvider.System, NullLogger<Reconciler>.Instance, meters, Microsoft.Extensions.Options.Options.Create(new SettlementOptions())).RunAsync(default);
            Console.WriteLine($"reconciliation: {(report.Balanced ? "balanced" : $"{report.Differences.Count} differences")}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task Report(string name, int entries, int concurrency, Func<int, Task> post)
    {
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var t = await Concurrent.RunAsync(entries, concurrency, post);
        var perEntry = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / entries;
        Console.WriteLine($"{name,-44} {t.PerSecond,10:F0} {t.P(0.50),8:F2} {t.P(0.95),8:F2} {t.P(0.99),8:F2} {t.Max,8:F2} {perEntry,10:N0} B");
    }

    private sealed record Accounts(Guid[] Available, Guid[] Payable, Guid Fee)
    {
        /// <summary>Entry i: one fen from a participant's available to another's payable, or to the fee account.</summary>
        public EntryRequest Entry(int i, bool hot)
        {
            var from = Available[i % Participants];
            var to = hot ? Fee : Payable[(i * 7 + 1) % Participants];
            return new EntryRequest(Guid.CreateVersion7(), "benchmark", null, [new Leg(from, "CNY", -1), new Leg(to, "CNY", 1)], Guid.Empty);
        }
    }

    private static async Task Transfer(this LedgerPoster ledger, SettlementDb db, Accounts accounts, int i, bool hot)
    {
        await using var uow = await db.BeginAsync();
        await ledger.PostAsync(uow, accounts.Entry(i, hot), DateTimeOffset.UtcNow);
        await uow.CommitAsync();
    }

    private static async Task<Accounts> SeedAsync(SettlementDb db, LedgerPoster ledger)
    {
        var available = new Guid[Participants];
        var payable = new Guid[Participants];
        await using var uow = await db.BeginAsync();
        var bank = await uow.ExecuteScalarAsync<Guid>("SELECT id FROM settlement.accounts WHERE owner_id IS NULL AND kind = 'BankClearing'");
        var fee = await uow.ExecuteScalarAsync<Guid>("SELECT id FROM settlement.accounts WHERE owner_id IS NULL AND kind = 'FeeRevenue'");
        for (var p = 0; p < Participants; p++)
        {
            var owner = Guid.CreateVersion7();
            (available[p], payable[p]) = (Guid.CreateVersion7(), Guid.CreateVersion7());
            foreach (var (id, kind) in new[] { (available[p], "Available"), (payable[p], "Payable") })
            {
                await uow.ExecuteAsync(
                    "INSERT INTO settlement.accounts (id, owner_id, kind, currency, balance, version, opened_at, min_balance) VALUES (@id, @owner, @kind, 'CNY', 0, 1, @now, 0)",
                    new { id, owner, kind, now = DateTimeOffset.UtcNow });
            }

            await ledger.PostAsync(uow, new EntryRequest(Guid.CreateVersion7(), "deposit", null, [new Leg(bank, "CNY", -1_000_000), new Leg(available[p], "CNY", 1_000_000)], Guid.Empty), DateTimeOffset.UtcNow);
        }

        await uow.CommitAsync();
        return new Accounts(available, payable, fee);
    }
}
