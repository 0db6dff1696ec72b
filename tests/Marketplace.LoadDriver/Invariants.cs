using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Marketplace.Demo;

namespace Marketplace.LoadDriver;

/// <summary>What must hold after the load, whatever the figures: every order ended; the ledger reconciles; the journal verifies; one licence per completed trade.</summary>
public static class Invariants
{
    public static async Task<InvariantReport> CheckAsync(MarketplaceClient api, Setup.Market market, ConcurrentBag<Guid> orders, CancellationToken ct)
    {
        var open = 0;
        var completed = 0;
        var settleBy = DateTime.UtcNow + MarketplaceClient.Patience;
        foreach (var id in orders)
        {
            async Task<JsonElement?> Ended()
            {
                var order = (await api.SendAsync(market.Operator, HttpMethod.Get, $"/settlement/orders/{id}", null, HttpStatusCode.OK, ct)).GetProperty("order");
                return LoadRun.IsTerminal(order) ? order : null;
            }

            try
            {
                // Bounded for the whole check: once the minute is spent, each remaining order is looked at once.
                var ended = DateTime.UtcNow < settleBy ? await MarketplaceClient.UntilAsync(Ended, $"order {id} to end", ct) : await Ended();
                if (ended is { } order)
                {
                    completed += order.GetProperty("status").GetString() == "completed" ? 1 : 0;
                }
                else
                {
                    open++;
                }
            }
            catch (DemoFailedException)
            {
                open++;
            }
        }

        var licences = 0;
        foreach (var product in market.Products)
        {
            string? after = null;
            do
            {
                var page = await api.SendAsync(market.Operator, HttpMethod.Get,
                    $"/rights/licences?productId={product.ProductId}&limit=100" + (after is null ? "" : $"&after={after}"), null, HttpStatusCode.OK, ct);
                licences += page.GetProperty("items").GetArrayLength();
                after = page.GetProperty("next").ValueKind == System.Text.Json.JsonValueKind.String ? page.GetProperty("next").GetString() : null;
            }
            while (after is not null);
        }

        var ledger = await api.SendAsync(market.Operator, HttpMethod.Get, "/settlement/reconciliation", null, HttpStatusCode.OK, ct);
        var journal = await api.SendAsync(market.Operator, HttpMethod.Get, "/settlement/journal/verification", null, HttpStatusCode.OK, ct);
        return new InvariantReport(orders.Count, open, completed, licences, ledger.GetProperty("balanced").GetBoolean(), journal.GetProperty("ok").GetBoolean(),
            journal.GetProperty("verifiedThrough").GetInt64());
    }
}

public sealed record InvariantReport(int Orders, int NotEnded, int Completed, int Licences, bool LedgerReconciles, bool JournalVerifies, long JournalEntries)
{
    public bool Hold => NotEnded == 0 && Licences == Completed && LedgerReconciles && JournalVerifies;
}
