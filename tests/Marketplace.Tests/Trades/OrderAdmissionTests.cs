using System.Net;
using System.Net.Http.Json;
using Dapper;
using Marketplace.Settlement;
using Marketplace.Settlement.Orders;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Trades;

/// <summary>
/// Admission control: while the exchange has as many orders in progress as it takes (here one, counted afresh on
/// every placement), a new order — or a replayed one — is 503 with Retry-After and nothing is written; a bad request and
/// a wrong role get the answers they always get; once the order in progress moves on, orders are taken again and the
/// replay answers the order it made.
/// </summary>
public sealed class OrderAdmissionTests : IAsyncLifetime
{
    private readonly TradeSteps s = TradeSteps.NewHost(new Dictionary<string, string?>
    {
        ["Settlement:Orders:MaxInProgress"] = "1",
        ["Settlement:Orders:InProgressRefresh"] = "00:00:00",
    });

    private ForSale sale = null!;
    private Guid buyer;

    public async Task InitializeAsync()
    {
        sale = await s.ProductForSaleAsync();
        buyer = await s.BuyerAsync();
    }

    public async Task DisposeAsync() => await s.DisposeAsync();

    [Theory]
    [InlineData("Requested")]
    [InlineData("AwaitingQuote")]
    public async Task At_capacity_a_new_order_is_503_with_retry_after_and_nothing_is_written(string inProgress)
    {
        var first = await PlaceAsync("order-1");
        await Expect.Status(first, HttpStatusCode.Created);
        var id = (await first.Content.ReadFromJsonAsync<OrderResponse>(EmbeddedMarketplace.Json))!.Id;
        await s.StatusAsync(buyer, id, OrderStatus.Quoted); // waiting on the buyer now: not in progress

        await SetStatusAsync(id, inProgress);
        var (orders, outbox) = await CountsAsync();
        var refused = await PlaceAsync();

        var problem = await Expect.Problem(refused, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("At capacity", problem.GetProperty("title").GetString());
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal((orders, outbox), await CountsAsync());

        // The gate comes first: a replay under its key waits like any request.
        await Expect.Problem(await PlaceAsync("order-1"), HttpStatusCode.ServiceUnavailable);

        await Expect.ValidationProblem(
            await s.As(buyer, "buyer").PostAsJsonAsync("/settlement/orders", new { productId = sale.ProductId, planId = sale.PlanId, quantity = 0, purpose = "研究" }),
            "quantity");
        await Expect.Status(
            await s.As(buyer, "provider").PostAsJsonAsync("/settlement/orders", new { productId = sale.ProductId, planId = sale.PlanId, quantity = 1, purpose = "研究" }),
            HttpStatusCode.Forbidden);
        Assert.Equal((orders, outbox), await CountsAsync());

        await SetStatusAsync(id, "Quoted");
        var replay = await PlaceAsync("order-1");
        await Expect.Status(replay, HttpStatusCode.OK);
        Assert.Equal(id, (await replay.Content.ReadFromJsonAsync<OrderResponse>(EmbeddedMarketplace.Json))!.Id);
        await Expect.Status(await PlaceAsync(), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Below_the_limit_orders_are_taken_however_long_the_trade_clock_stands_still()
    {
        // Two places, the count read at most every millisecond; the host's trade clock never moves in these tests.
        var (host, product, customer) = await GateAsync(2, "00:00:00.001");
        await using var paced = host;
        for (var i = 0; i < 5; i++)
        {
            var order = await paced.OrderAsync(customer, product);
            await paced.StatusAsync(customer, order.Id, OrderStatus.Quoted);
        }
    }

    [Fact]
    public async Task Placements_racing_for_the_last_places_get_exactly_as_many_as_there_are()
    {
        // Three places and no second read of the count within the test: ten placements at once, the first of them
        // before any count is known.
        var (host, product, customer) = await GateAsync(3, "01:00:00");
        await using var racing = host;

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => racing.PlaceAsync(customer, product)));

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(7, answers.Count(a => a.StatusCode == HttpStatusCode.ServiceUnavailable));
        Assert.Equal(3, await racing.M.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.orders"));
    }

    [Fact]
    public async Task Orders_waiting_on_a_person_do_not_count()
    {
        var first = await PlaceAsync();
        var id = (await first.Content.ReadFromJsonAsync<OrderResponse>(EmbeddedMarketplace.Json))!.Id;
        await s.StatusAsync(buyer, id, OrderStatus.Quoted);
        foreach (var waiting in new[] { "AwaitingProvider", "Quoted", "Completed", "Cancelled" })
        {
            await SetStatusAsync(id, waiting);
            var next = await PlaceAsync();
            await Expect.Status(next, HttpStatusCode.Created);
            var placed = (await next.Content.ReadFromJsonAsync<OrderResponse>(EmbeddedMarketplace.Json))!.Id;
            await s.StatusAsync(buyer, placed, OrderStatus.Quoted);
        }
    }

    private Task<HttpResponseMessage> PlaceAsync(string? key = null) => s.PlaceAsync(buyer, sale, key);

    /// <summary>A host whose gate has <paramref name="places"/> places and reads the count at most every <paramref name="refresh"/>, with a product and a buyer.</summary>
    private static async Task<(TradeSteps Host, ForSale Product, Guid Buyer)> GateAsync(int places, string refresh)
    {
        var host = TradeSteps.NewHost(new Dictionary<string, string?>
        {
            ["Settlement:Orders:MaxInProgress"] = places.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Settlement:Orders:InProgressRefresh"] = refresh,
        });
        return (host, await host.ProductForSaleAsync(), await host.BuyerAsync());
    }

    private async Task SetStatusAsync(Guid id, string status)
    {
        await using var connection = await s.M.Get<SettlementDb>().OpenAsync();
        Assert.Equal(1, await connection.ExecuteAsync("UPDATE settlement.orders SET status = @status WHERE id = @id", new { id, status }));
    }

    private async Task<(long Orders, long Outbox)> CountsAsync() => (
        await s.M.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.orders"),
        await s.M.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.outbox"));
}
