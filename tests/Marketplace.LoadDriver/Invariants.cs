using System.Net;
using System.Text.Json;
using Marketplace.Demo;

namespace Marketplace.LoadDriver;

/// <summary>
/// What must hold after the load, whatever the figures (and whatever faults were injected), read from the
/// marketplace itself rather than from what the driver was told — an order whose placement answer was lost in a
/// crash counts too — for the driver's own buyers and products, so a host that also holds other trades still checks: every order ended; one active licence per completed trade and never two for one order; the money
/// that left the buyers is exactly what their settled trades cost; the ledger reconciles; the journal verifies.
/// </summary>
public static class Invariants
{
    public static async Task<InvariantReport> CheckAsync(MarketplaceClient api, Setup.Market market, CancellationToken ct)
    {
        // Bounded for the whole check: once the minute is spent, what has not ended counts as not ended.
        var settleBy = DateTime.UtcNow + MarketplaceClient.Patience;
        var buyers = market.Buyers.Select(b => b.Id).ToHashSet();
        List<JsonElement> orders;
        HashSet<Guid> completed;
        List<JsonElement> licences;
        while (true)
        {
            // The driver's own trades: its buyers' orders (a host that is not fresh holds others, the demo's say). A trade
            // completes at acceptance and rights issues its licence on the event: both settle before the check.
            orders = [.. (await AllAsync(api, market.Operator, "/settlement/orders?", ct)).Where(o => buyers.Contains(o.GetProperty("buyerId").GetGuid()))];
            completed = orders.Where(o => Status(o) == "completed").Select(o => o.GetProperty("id").GetGuid()).ToHashSet();
            licences = [];
            foreach (var product in market.Products)
            {
                licences.AddRange(await AllAsync(api, market.Operator, $"/rights/licences?productId={product.ProductId}&", ct));
            }

            var licensed = licences.Select(l => l.GetProperty("orderId").GetGuid()).ToHashSet();
            if ((orders.All(LoadRun.IsTerminal) && completed.IsSubsetOf(licensed)) || DateTime.UtcNow >= settleBy)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }

        var licensedOrders = licences.Select(l => l.GetProperty("orderId").GetGuid()).ToList();
        var active = licences.Where(l => l.GetProperty("status").GetString() == "active").Select(l => l.GetProperty("orderId").GetGuid()).ToHashSet();

        // Settled trades cost their total less what was refunded; nothing else may have left a buyer's available balance.
        var charged = orders.Where(o => o.TryGetProperty("settledAt", out var s) && s.ValueKind == JsonValueKind.String)
            .Sum(o => o.GetProperty("total").GetInt64() - o.GetProperty("refunded").GetInt64());
        var spent = 0L;
        foreach (var buyer in market.Buyers)
        {
            var accounts = await api.SendAsync(market.Operator, HttpMethod.Get, $"/settlement/participants/{buyer.Id}/accounts", null, HttpStatusCode.OK, ct);
            var available = accounts.EnumerateArray().Single(a => string.Equals(a.GetProperty("kind").GetString(), "available", StringComparison.OrdinalIgnoreCase));
            spent += Setup.BuyerDeposit - available.GetProperty("balance").GetInt64();
        }

        var ledger = await api.SendAsync(market.Operator, HttpMethod.Get, "/settlement/reconciliation", null, HttpStatusCode.OK, ct);
        var journal = await api.SendAsync(market.Operator, HttpMethod.Get, "/settlement/journal/verification", null, HttpStatusCode.OK, ct);
        var outcomes = orders.GroupBy(o => Status(o) + (o.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? $" ({r.GetString()})" : ""))
            .OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count());
        return new InvariantReport(
            orders.Count,
            outcomes,
            orders.Count(o => !LoadRun.IsTerminal(o)),
            completed.Count,
            active.Count,
            licensedOrders.Count - licensedOrders.Distinct().Count(),
            active.SetEquals(completed),
            charged,
            spent,
            ledger.GetProperty("balanced").GetBoolean(),
            journal.GetProperty("ok").GetBoolean(),
            journal.GetProperty("verifiedThrough").GetInt64());
    }

    private static string? Status(JsonElement order) => order.GetProperty("status").GetString();

    /// <summary>Every item of a keyset-paged list.</summary>
    private static async Task<List<JsonElement>> AllAsync(MarketplaceClient api, string token, string path, CancellationToken ct)
    {
        var items = new List<JsonElement>();
        string? after = null;
        do
        {
            var page = await api.SendAsync(token, HttpMethod.Get, path + "limit=100" + (after is null ? "" : $"&after={after}"), null, HttpStatusCode.OK, ct);
            items.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Clone()));
            after = page.GetProperty("next").ValueKind == JsonValueKind.String ? page.GetProperty("next").GetString() : null;
        }
        while (after is not null);
        return items;
    }
}

public sealed record InvariantReport(
    int Orders, IReadOnlyDictionary<string, int> Outcomes, int NotEnded, int Completed, int Licences, int DuplicateLicences, bool LicencesMatchTrades, long Charged, long Spent,
    bool LedgerReconciles, bool JournalVerifies, long JournalEntries)
{
    public bool Hold => NotEnded == 0 && LicencesMatchTrades && DuplicateLicences == 0 && Charged == Spent && LedgerReconciles && JournalVerifies;

    public override string ToString() =>
        $"{Orders} orders ({string.Join(", ", Outcomes.Select(o => $"{o.Key} {o.Value}"))}), {NotEnded} not ended, {Completed} completed, {Licences} active licences ({(LicencesMatchTrades ? "one per completed trade" : "NOT one per completed trade")}, " +
        $"{DuplicateLicences} duplicated), buyers charged {Charged} and {(Charged == Spent ? "spent the same" : $"SPENT {Spent}")}, ledger {(LedgerReconciles ? "reconciles" : "DOES NOT reconcile")}, " +
        $"journal {(JournalVerifies ? "verifies" : "BROKEN")} ({JournalEntries} entries) — {(Hold ? "all hold" : "VIOLATED")}";
}
