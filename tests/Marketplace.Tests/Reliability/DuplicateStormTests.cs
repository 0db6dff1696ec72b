using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Marketplace.BuildingBlocks.Hosting;
using Marketplace.Settlement;
using Marketplace.Settlement.Journal;
using Marketplace.Settlement.Orders;
using Marketplace.Settlement.Reconciliation;
using Marketplace.Tests.Support;
using Marketplace.Tests.Trades;
using MassTransit;

namespace Marketplace.Tests.Reliability;

/// <summary>
/// The same trades — completed, cancelled, refunded after a dispute, released after T+N — on a clean bus, on one that
/// delivers every message twice, and on one that also reorders each batch: the final state is the same (every
/// table's row count, every balance, every order's outcome, licences, the journal), and the storm really happened.
/// </summary>
public sealed class DuplicateStormTests
{
    [Fact]
    public async Task Every_message_twice_and_out_of_order_ends_in_the_same_state_as_a_clean_run()
    {
        var clean = await RunAsync(new Dictionary<string, string?>());
        var twice = await RunAsync(new Dictionary<string, string?> { ["Messaging:Outbox:DuplicateEveryMessage"] = "true" });
        var shuffled = await RunAsync(new Dictionary<string, string?>
        {
            ["Messaging:Outbox:DuplicateEveryMessage"] = "true",
            ["Messaging:Outbox:ShuffleBatches"] = "true",
        });

        Assert.Equal(clean.State, twice.State);
        Assert.Equal(clean.State, shuffled.State);
        Assert.Equal(1, clean.LeastDeliveries);
        Assert.Equal(2, twice.LeastDeliveries);
        Assert.Equal(2, shuffled.LeastDeliveries);
    }

    /// <summary>Through the hosts' own start-up (the defaults every service adds), not just the options' check.</summary>
    [Theory]
    [InlineData("Messaging:Outbox:DuplicateEveryMessage")]
    [InlineData("Messaging:Outbox:ShuffleBatches")]
    public void Fault_injection_is_refused_in_production(string setting)
    {
        var production = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(new Microsoft.AspNetCore.Builder.WebApplicationOptions { EnvironmentName = "Production" });
        production.Configuration[setting] = "true";
        var refused = Assert.Throws<InvalidOperationException>(() => production.AddMarketplaceDefaults("settlement"));
        Assert.Contains("refused in Production", refused.Message, StringComparison.Ordinal);

        var development = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(new Microsoft.AspNetCore.Builder.WebApplicationOptions { EnvironmentName = "Development" });
        development.Configuration[setting] = "true";
        development.AddMarketplaceDefaults("settlement");
    }

    private static async Task<(string State, int LeastDeliveries)> RunAsync(Dictionary<string, string?> settings)
    {
        // The clock moves 8 days for the release; sent outbox rows are kept past that, so every table compares,
        // the outbox included (the same messages written), instead of depending on when the purge ran.
        settings["Messaging:Outbox:SentRetention"] = "30.00:00:00";
        await using var s = TradeSteps.NewHost(settings);
        var consumed = ConsumeCounter.Attach(s.M.Get<IBus>(), "");
        var coHolder = await s.BuyerAsync(deposit: 0);
        var sale = await s.ProductForSaleAsync(coHolders: (coHolder, 2_500));
        var buyers = new[] { await s.BuyerAsync(), await s.BuyerAsync() };

        var completed = await s.CompletedAsync(buyers[0], sale);
        await s.CompletedAsync(buyers[1], sale);
        var quoted = await s.QuotedAsync(buyers[1], sale);
        await Expect.Status(await s.As(buyers[1], "buyer").PostAsync($"/settlement/orders/{quoted.Id}/cancel", null), HttpStatusCode.OK);
        var filed = await s.As(buyers[0], "buyer").PostAsJsonAsync($"/settlement/orders/{completed.Id}/disputes", new { grounds = "数据不可用" });
        await Expect.Status(filed, HttpStatusCode.Created);
        var dispute = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await Expect.Status(await s.M.Operator().PostAsJsonAsync($"/settlement/disputes/{dispute}/ruling", new { decision = "refund", reason = "数据不可用" }), HttpStatusCode.OK);
        await s.StatusAsync(buyers[0], completed.Id, OrderStatus.Refunded);
        await Eventually.True(async () => await s.M.CountAsync<Marketplace.Rights.RightsDb>(
            "SELECT COUNT(*) FROM rights.licences WHERE order_id = @Id AND status = 'Revoked'", new { completed.Id }) == 1, what: "the refunded trade's licence revoked");
        s.Time.Advance(TimeSpan.FromDays(8));
        await s.M.Get<ProceedsRelease>().ReleaseDueAsync(CancellationToken.None);

        // Quiet: every outbox sent, and the stored state no longer moving.
        await StateDigest.SettledAsync(s.M.DataDirectory, async () =>
        {
            var unsent = 0L;
            foreach (var db in new[] { "catalog", "rights", "pricing", "settlement" })
            {
                unsent += await CountUnsentAsync(s.M, db);
            }

            return unsent == 0;
        });

        Assert.True((await s.M.Get<Reconciler>().RunAsync(CancellationToken.None)).Balanced);
        var journal = (await s.M.Operator().GetFromJsonAsync<JournalVerification>("/settlement/journal/verification", EmbeddedMarketplace.Json))!;
        Assert.True(journal.Ok);

        var state = new StringBuilder();
        foreach (var (table, rows) in await StateDigest.RowCountsAsync(s.M.DataDirectory))
        {
            state.AppendLine($"{table}: {rows}");
        }

        await using var connection = await s.M.Get<SettlementDb>().OpenAsync();
        var owners = new[] { ("provider", (Guid?)sale.ProviderId), ("co-holder", coHolder), ("buyer 1", buyers[0]), ("buyer 2", buyers[1]), ("exchange", null) };
        foreach (var (who, owner) in owners)
        {
            var balances = await connection.QueryAsync<(string Kind, long Balance)>(
                "SELECT kind, balance FROM settlement.accounts WHERE owner_id IS @owner OR owner_id = @owner ORDER BY kind", new { owner });
            state.AppendLine($"{who}: {string.Join(", ", balances.Select(b => $"{b.Kind} {b.Balance}"))}");
        }

        var orders = await connection.QueryAsync<(string Status, long? Total, long Refunded, bool Released)>(
            "SELECT status, total, refunded, released FROM settlement.orders ORDER BY seq");
        state.AppendLine("orders: " + string.Join("; ", orders));
        state.AppendLine($"journal: {journal.Ok}");
        return (state.ToString(), consumed.LeastConsumed);
    }

    private static Task<long> CountUnsentAsync(EmbeddedMarketplace m, string schema) => schema switch
    {
        "catalog" => m.CountAsync<Marketplace.Catalog.CatalogDb>("SELECT COUNT(*) FROM catalog.outbox WHERE sent_at IS NULL"),
        "rights" => m.CountAsync<Marketplace.Rights.RightsDb>("SELECT COUNT(*) FROM rights.outbox WHERE sent_at IS NULL"),
        "pricing" => m.CountAsync<Marketplace.Pricing.PricingDb>("SELECT COUNT(*) FROM pricing.outbox WHERE sent_at IS NULL"),
        _ => m.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.outbox WHERE sent_at IS NULL"),
    };
}
