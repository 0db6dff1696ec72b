using System.Net;
using System.Net.Http.Json;
using System.Text;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.Settlement;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Reliability;

/// <summary>
/// The limits a caller meets: bodies over the size limit (413, through real Kestrel, which enforces it), page sizes
/// over 100 (400), and per-caller rates on order placement and search (429 with Retry-After). Each answer is a
/// ProblemDetails and changes nothing.
/// </summary>
public sealed class LimitTests
{
    [Fact]
    public async Task A_body_over_the_limit_is_413_and_nothing_is_written()
    {
        await using var m = new EmbeddedMarketplace(new Dictionary<string, string?> { ["Http:MaxRequestBodyBytes"] = "4096" });
        m.UseKestrel(0);
        m.StartServer();
        var before = await StateDigest.OfAsync(m.DataDirectory);

        var body = $$"""{"title":"{{new string('数', 4096)}}"}""";
        var response = await m.ClientAs(Guid.CreateVersion7(), Roles.Provider)
            .PostAsync("/catalog/products", new StringContent(body, Encoding.UTF8, "application/json"));

        await Expect.Problem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await StateDigest.OfAsync(m.DataDirectory));
    }

    [Theory]
    [InlineData("/catalog/products?limit=101")]
    [InlineData("/rights/licences?limit=101")]
    [InlineData("/pricing/quotes?limit=0")]
    [InlineData("/settlement/orders?limit=101")]
    [InlineData("/settlement/withdrawals?limit=-1")]
    public async Task A_page_size_outside_1_to_100_is_400(string path)
    {
        await using var m = new EmbeddedMarketplace();
        await Expect.ValidationProblem(await m.Operator().GetAsync(path), "limit");
    }

    [Fact]
    public async Task Too_many_orders_from_one_buyer_in_a_second_are_429_with_retry_after()
    {
        await using var m = new EmbeddedMarketplace(new Dictionary<string, string?> { ["Settlement:Orders:RequestsPerSecond"] = "2" });
        var buyer = m.ClientAs(Guid.CreateVersion7(), Roles.Buyer);
        var order = new { productId = Guid.CreateVersion7(), planId = Guid.CreateVersion7(), quantity = 1, purpose = "研究" };

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => buyer.PostAsJsonAsync("/settlement/orders", order)));

        Assert.InRange(responses.Count(r => r.StatusCode != HttpStatusCode.TooManyRequests), 2, 4);
        var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        await Expect.Problem(refused, HttpStatusCode.TooManyRequests);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "429 says when to try again");

        // Another buyer has a limit of its own.
        var other = await m.ClientAs(Guid.CreateVersion7(), Roles.Buyer).PostAsJsonAsync("/settlement/orders", order);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, other.StatusCode);
        Assert.Equal(0, await m.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.orders"));
    }
}
