using System.Diagnostics.Metrics;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Settlement.Reconciliation;

/// <summary>One thing the ledger's invariants say that the data does not.</summary>
public sealed record Difference(string Check, string Subject, long Expected, long Actual);

public sealed record ReconciliationReport(DateTimeOffset CheckedAt, bool Balanced, IReadOnlyList<Difference> Differences);

/// <summary>
/// Checks the ledger's invariants over one consistent snapshot: every entry's legs and all postings per currency sum
/// to zero (debits = credits); every stored balance equals the sum of its postings; every held account equals its
/// open holds; no account is below its limit. Differences are reported — logged, counted in a metric, returned —
/// and never corrected here: a correction is a reversing entry someone decides on. Runs on demand and every
/// <c>Settlement:Reconciliation:Interval</c> (default 5 minutes).
/// </summary>
public sealed class Reconciler(SettlementDb db, TimeProvider time, ILogger<Reconciler> logger, IMeterFactory meters, IOptions<SettlementOptions> options)
    : IPeriodicWork
{
    private const string UnbalancedEntriesSql = """
        SELECT CAST(entry_id AS varchar(36)) AS subject, SUM(amount) AS actual
        FROM settlement.postings GROUP BY entry_id, currency HAVING SUM(amount) <> 0
        """;

    private const string UnbalancedCurrenciesSql = """
        SELECT currency AS subject, SUM(amount) AS actual
        FROM settlement.postings GROUP BY currency HAVING SUM(amount) <> 0
        """;

    private const string BalancesSql = """
        SELECT CAST(a.id AS varchar(36)) AS subject, COALESCE(SUM(p.amount), 0) AS expected, a.balance AS actual
        FROM settlement.accounts a LEFT JOIN settlement.postings p ON p.account_id = a.id
        GROUP BY a.id, a.balance HAVING a.balance <> COALESCE(SUM(p.amount), 0)
        """;

    private const string HeldSql = """
        SELECT CAST(a.id AS varchar(36)) AS subject, COALESCE(SUM(h.amount), 0) AS expected, a.balance AS actual
        FROM settlement.accounts a
        LEFT JOIN settlement.holds h ON h.held_account_id = a.id AND h.status = 'Pending'
        WHERE a.kind = 'Held'
        GROUP BY a.id, a.balance HAVING a.balance <> COALESCE(SUM(h.amount), 0)
        """;

    private const string LimitsSql = """
        SELECT CAST(id AS varchar(36)) AS subject, min_balance AS expected, balance AS actual
        FROM settlement.accounts WHERE min_balance IS NOT NULL AND balance < min_balance
        """;

    private readonly Counter<long> differencesFound = meters.Create("Marketplace.Settlement").CreateCounter<long>(
        "marketplace.ledger.reconciliation.differences", description: "Ledger differences found by reconciliation");

    public TimeSpan Interval { get; } = options.Value.Reconciliation.Interval;

    Task IPeriodicWork.RunAsync(CancellationToken ct) => RunAsync(ct);

    public async Task<ReconciliationReport> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var snapshot = await db.ReadAsync(ct);

        var differences = new List<Difference>();
        async Task Check(string name, string sql)
        {
            var rows = await snapshot.QueryAsync<Row>(sql);
            differences.AddRange(rows.Select(r => new Difference(name, r.Subject, r.Expected, r.Actual)));
        }

        await Check("entry legs sum to zero", UnbalancedEntriesSql);
        await Check("debits equal credits per currency", UnbalancedCurrenciesSql);
        await Check("balance equals its postings", BalancesSql);
        await Check("held balance equals open holds", HeldSql);
        await Check("balance within its limit", LimitsSql);
        foreach (var d in differences)
        {
            logger.LogError(
                "Ledger reconciliation: {Check} fails for {Subject}: expected {Expected}, found {Actual}",
                d.Check, d.Subject, d.Expected, d.Actual);
        }

        differencesFound.Add(differences.Count);
        return new ReconciliationReport(now, differences.Count == 0, differences);
    }

    private sealed record Row
    {
        public string Subject { get; init; } = "";

        public long Expected { get; init; }

        public long Actual { get; init; }
    }
}
