using Marketplace.Catalog;
using Marketplace.Pricing;
using Marketplace.Rights;
using Marketplace.Settlement;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Trades;

/// <summary>The trade's cost in messages (domain.md): at most 4 published and 6 delivered per completed trade.</summary>
public sealed class MessageBudgetTests : IAsyncLifetime
{
    private readonly TradeSteps s = TradeSteps.NewHost();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await s.DisposeAsync();

    [Fact]
    public async Task A_completed_trade_publishes_four_messages_delivered_six_times()
    {
        var sale = await s.ProductForSaleAsync();
        var buyer = await s.BuyerAsync();
        var completed = await s.CompletedAsync(buyer, sale);

        var published = await PublishedAsync(completed.Id);
        Assert.Equal(
            ["AccessApproved", "OrderPlaced", "QuoteIssued", "TradeSettled"],
            published.Select(p => p.Type[(p.Type.LastIndexOf('.') + 1)..]).Order());

        // Six deliveries: OrderPlaced to rights and pricing, each answer to settlement, TradeSettled to rights and pricing.
        var ids = published.Select(p => p.Id).ToArray();
        await Eventually.True(async () => await DeliveriesAsync(ids) == 6, what: "six deliveries");

        // Every consumer of the trade has run (issuing the licence was the last): nothing more was published for it.
        Assert.Equal(published.Count, (await PublishedAsync(completed.Id)).Count);
    }

    private async Task<List<(string Id, string Type)>> PublishedAsync(Guid orderId)
    {
        var published = new List<(string, string)>();
        published.AddRange(await OutboxAsync<CatalogDb>("catalog", orderId));
        published.AddRange(await OutboxAsync<RightsDb>("rights", orderId));
        published.AddRange(await OutboxAsync<PricingDb>("pricing", orderId));
        published.AddRange(await OutboxAsync<SettlementDb>("settlement", orderId));
        return published;
    }

    private async Task<IEnumerable<(string, string)>> OutboxAsync<TDb>(string schema, Guid orderId)
        where TDb : Marketplace.BuildingBlocks.Data.ServiceDb
    {
        await using var connection = await s.M.Get<TDb>().OpenAsync();
        return await Dapper.SqlMapper.QueryAsync<(string, string)>(connection,
            $"SELECT id, message_type FROM {schema}.outbox WHERE body LIKE @Order", new { Order = $"%{orderId}%" });
    }

    private async Task<long> DeliveriesAsync(string[] ids)
    {
        long total = 0;
        foreach (var (schema, count) in new (string, Func<string, object, Task<long>>)[]
        {
            ("catalog", s.M.CountAsync<CatalogDb>), ("rights", s.M.CountAsync<RightsDb>), ("pricing", s.M.CountAsync<PricingDb>), ("settlement", s.M.CountAsync<SettlementDb>),
        })
        {
            total += await count($"SELECT COUNT(*) FROM {schema}.inbox WHERE message_id IN @Ids", new { Ids = ids });
        }

        return total;
    }
}
