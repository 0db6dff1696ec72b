using System.Net;
using Marketplace.Settlement.Orders;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Trades;

/// <summary>Exclusivity reserved at the access decision: the buyers it leaves out are refused before they pay, and it ends with the order.</summary>
public sealed class ExclusivityTests : IAsyncLifetime
{
    private const long Deposit = 200_000;

    private readonly TradeSteps s = TradeSteps.NewHost();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await s.DisposeAsync();

    [Fact]
    [Trait("Category", Races.Category)]
    public async Task Of_twenty_concurrent_exclusive_orders_one_reaches_a_quote_and_no_money_moves_for_the_others()
    {
        var sale = await s.ProductForSaleAsync();
        var buyers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => s.BuyerAsync(Deposit)));
        var orders = await Task.WhenAll(buyers.Select(b => s.OrderAsync(b, sale, exclusive: true)));
        var settled = await Task.WhenAll(orders.Select((o, i) => Eventually.Get(async () =>
        {
            var current = await s.ReadAsync(buyers[i], o.Id);
            return current.Status is OrderStatus.Quoted or OrderStatus.Rejected ? current : null;
        }, what: $"order {i} answered")));

        var quoted = Assert.Single(settled, o => o.Status == OrderStatus.Quoted);
        Assert.All(settled.Where(o => o != quoted), o => Assert.Equal((OrderStatus.Rejected, "exclusive-conflict"), (o.Status, o.Reason)));
        Assert.All(settled.Where(o => o != quoted), o => Assert.Null(o.Total)); // the refused never saw a price
        var winner = buyers[Array.FindIndex(settled, o => o == quoted)];
        await Expect.Status(await s.As(winner, "buyer").PostAsync($"/settlement/orders/{quoted.Id}/accept", null), HttpStatusCode.OK);
        foreach (var buyer in buyers.Where(b => b != winner))
        {
            Assert.Equal((Deposit, 0L), (await s.M.BalanceAsync(buyer, "Available"), await s.M.BalanceAsync(buyer, "Held")));
        }

        Assert.Equal(Deposit - quoted.Total, await s.M.BalanceAsync(winner, "Available"));
        await s.LicensedAsync(await s.ReadAsync(winner, quoted.Id));
    }

    [Fact]
    public async Task A_reservation_released_by_cancellation_or_expiry_lets_the_next_buyer_through()
    {
        var sale = await s.ProductForSaleAsync();
        var buyer = await s.BuyerAsync(Deposit);
        var next = await s.BuyerAsync(Deposit);

        var first = await s.StatusAsync(buyer, (await s.OrderAsync(buyer, sale, exclusive: true)).Id, OrderStatus.Quoted);
        Assert.Equal("exclusive-conflict", (await s.StatusAsync(next, (await s.OrderAsync(next, sale, exclusive: true)).Id, OrderStatus.Rejected)).Reason);
        Assert.Equal("exclusive-reserved", (await s.StatusAsync(next, (await s.OrderAsync(next, sale)).Id, OrderStatus.Rejected)).Reason);
        await Expect.Status(await s.As(buyer, "buyer").PostAsync($"/settlement/orders/{first.Id}/cancel", null), HttpStatusCode.OK);

        // Rights learns of the end from settlement's OrderEnded: until then the next order may still be refused.
        var second = await Eventually.Get(async () =>
        {
            var order = await s.OrderAsync(next, sale, exclusive: true);
            var answered = await Eventually.Get(async () => await s.ReadAsync(next, order.Id) is { Status: OrderStatus.Quoted or OrderStatus.Rejected } o ? o : null);
            return answered.Status == OrderStatus.Quoted ? answered : null;
        }, what: "the next exclusive order quoted once the cancellation reached rights");

        // The quote lapses unaccepted: the order expires at acceptance, and the reservation goes with it.
        s.Time.Advance(TimeSpan.FromMinutes(30));
        await Expect.Problem(await s.As(next, "buyer").PostAsync($"/settlement/orders/{second.Id}/accept", null), HttpStatusCode.Conflict);
        await s.StatusAsync(next, second.Id, OrderStatus.Expired);
        var third = await Eventually.Get(async () =>
        {
            var order = await s.OrderAsync(buyer, sale, exclusive: true);
            var answered = await Eventually.Get(async () => await s.ReadAsync(buyer, order.Id) is { Status: OrderStatus.Quoted or OrderStatus.Rejected } o ? o : null);
            return answered.Status == OrderStatus.Quoted ? answered : null;
        }, what: "an exclusive order quoted once the expiry reached rights");
        await Expect.Status(await s.As(buyer, "buyer").PostAsync($"/settlement/orders/{third.Id}/accept", null), HttpStatusCode.OK);
        await s.LicensedAsync(await s.ReadAsync(buyer, third.Id));
    }
}
