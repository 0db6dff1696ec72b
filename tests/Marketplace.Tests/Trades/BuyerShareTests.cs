using System.Net;
using System.Net.Http.Json;
using Marketplace.Settlement;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Trades;

/// <summary>
/// Fair capacity: one buyer may hold only its own share of the orders in progress
/// (<c>Settlement:Orders:MaxInProgressPerBuyer</c>), counted exactly even when its placements race; past it the buyer
/// gets 429 with Retry-After naming its own limit, nothing is written, and other buyers are still served.
/// </summary>
public sealed class BuyerShareTests
{
    [Fact]
    public async Task A_buyer_racing_past_its_share_gets_exactly_its_share_and_others_are_still_served()
    {
        // Settlement's outbox is not dispatched, so every order placed stays in progress (Requested).
        await using var s = TradeSteps.NewHost(
            new Dictionary<string, string?> { ["Settlement:Orders:MaxInProgressPerBuyer"] = "3", ["Settlement:Orders:MaxInProgress"] = "100" },
            typeof(SettlementDb));
        var sale = await s.ProductForSaleAsync();
        var greedy = await s.BuyerAsync();
        var other = await s.BuyerAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => s.PlaceAsync(greedy, sale)));

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        var refused = answers.Where(a => a.StatusCode != HttpStatusCode.Created).ToList();
        Assert.Equal(7, refused.Count);
        foreach (var answer in refused)
        {
            var problem = await Expect.Problem(answer, HttpStatusCode.TooManyRequests);
            Assert.Equal(("buyer-at-capacity", 3), (problem.GetProperty("reason").GetString(), problem.GetProperty("limit").GetInt32()));
            Assert.Equal(TimeSpan.FromSeconds(1), answer.Headers.RetryAfter?.Delta);
        }

        Assert.Equal(3, await s.M.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.orders WHERE buyer_id = @greedy", new { greedy }));
        await Expect.Status(await s.PlaceAsync(other, sale), HttpStatusCode.Created);

        // An order that leaves the exchange's hands frees its place.
        var first = (await (await s.As(greedy, "buyer").GetAsync("/settlement/orders?limit=1")).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>())
            .GetProperty("items")[0].GetProperty("id").GetGuid();
        await Expect.Status(await s.As(greedy, "buyer").PostAsync($"/settlement/orders/{first}/cancel", null), HttpStatusCode.OK);
        await Expect.Status(await s.PlaceAsync(greedy, sale), HttpStatusCode.Created);
        await Expect.Problem(await s.PlaceAsync(greedy, sale), HttpStatusCode.TooManyRequests);
    }
}
