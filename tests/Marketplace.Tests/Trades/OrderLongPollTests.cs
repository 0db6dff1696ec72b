using System.Net;
using System.Net.Http.Json;
using Marketplace.Settlement;
using Marketplace.Settlement.Orders;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Trades;

/// <summary>
/// <c>GET /settlement/orders/{id}</c> as a long poll: <c>If-None-Match</c> with the version the caller has, and
/// <c>Prefer: wait=N</c> to be answered when the order changes instead of polling.
/// </summary>
public sealed class OrderLongPollTests : IAsyncLifetime
{
    private readonly TradeSteps s = TradeSteps.NewHost();
    private ForSale sale = null!;
    private Guid buyer;
    private OrderResponse quoted = null!;

    public async Task InitializeAsync()
    {
        sale = await s.ProductForSaleAsync();
        buyer = await s.BuyerAsync();
        quoted = await s.QuotedAsync(buyer, sale);
    }

    public async Task DisposeAsync() => await s.DisposeAsync();

    private Task<HttpResponseMessage> GetAsync(Guid asWho, string role, string? etag, int? wait)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/settlement/orders/{quoted.Id}");
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }

        if (wait is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", $"wait={wait}");
        }

        return s.As(asWho, role).SendAsync(request);
    }

    private static string ETagOf(OrderResponse order) => $"\"{order.Version}\"";

    private int Watched => s.M.Get<SettlementDb>().Changes.Count;

    [Fact]
    public async Task A_stopping_host_answers_its_waiting_reads_at_once()
    {
        var waiting = GetAsync(buyer, "buyer", ETagOf(quoted), wait: 30);
        await Eventually.True(() => Task.FromResult(Watched == 1), what: "the read to wait on the order");

        // The host's clock is fake and never moves here: only the stop can end the wait.
        s.M.Get<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().StopApplication();

        using var answer = await waiting.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.NotModified, answer.StatusCode);
        Assert.Equal(0, Watched);
    }

    [Fact]
    public async Task A_waiting_read_is_answered_as_soon_as_the_order_changes()
    {
        var waiting = GetAsync(buyer, "buyer", ETagOf(quoted), wait: 30);
        await Eventually.True(() => Task.FromResult(Watched == 1), what: "the read to wait on the order");
        Assert.False(waiting.IsCompleted);

        await Expect.Status(await s.As(buyer, "buyer").PostAsync($"/settlement/orders/{quoted.Id}/accept", null), HttpStatusCode.OK);

        using var answer = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var order = (await answer.Content.ReadFromJsonAsync<OrderWithTimeline>(EmbeddedMarketplace.Json))!.Order;
        Assert.True(order.Version > quoted.Version);
        Assert.NotEqual(OrderStatus.Quoted, order.Status);
        Assert.Equal(ETagOf(order), answer.Headers.ETag?.ToString());
        Assert.Equal(0, Watched);
    }

    [Fact]
    public async Task An_unchanged_order_is_not_modified_at_once_without_a_wait_and_after_the_wait_with_one()
    {
        using var now = await GetAsync(buyer, "buyer", ETagOf(quoted), wait: null);
        Assert.Equal(HttpStatusCode.NotModified, now.StatusCode);
        Assert.Equal(ETagOf(quoted), now.Headers.ETag?.ToString());
        Assert.Empty(await now.Content.ReadAsByteArrayAsync());

        var waiting = GetAsync(buyer, "buyer", ETagOf(quoted), wait: 5);
        await Eventually.True(() => Task.FromResult(Watched == 1), what: "the read to wait on the order");
        s.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(waiting.IsCompleted);
        s.Time.Advance(TimeSpan.FromSeconds(2));
        using var after = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.NotModified, after.StatusCode);
        Assert.Equal(0, Watched);
    }

    [Fact]
    public async Task A_wake_up_without_a_new_version_keeps_waiting()
    {
        // A unit of work that touched the order and then rolled back in its savepoint still wakes the watchers after
        // the shared commit: the read finds the same version and goes on waiting for the rest of its time.
        var waiting = GetAsync(buyer, "buyer", ETagOf(quoted), wait: 5);
        await Eventually.True(() => Task.FromResult(Watched == 1), what: "the read to wait on the order");
        s.M.Get<SettlementDb>().Changes.Notify(quoted.Id);
        await Eventually.True(() => Task.FromResult(Watched == 1), what: "the read to wait again");
        Assert.False(waiting.IsCompleted);

        s.Time.Advance(TimeSpan.FromSeconds(6));
        using var after = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.NotModified, after.StatusCode);
        Assert.Equal(0, Watched);
    }

    [Theory]
    [InlineData("\"0\"")]
    [InlineData("\"not-a-version\"")]
    public async Task A_caller_without_the_current_version_gets_the_order_at_once(string etag)
    {
        using var answer = await GetAsync(buyer, "buyer", etag, wait: 30).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(ETagOf(quoted), answer.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task Someone_elses_order_is_not_found_without_waiting()
    {
        var other = await s.BuyerAsync();
        using var answer = await GetAsync(other, "buyer", ETagOf(quoted), wait: 30).WaitAsync(TimeSpan.FromSeconds(30));
        await Expect.Problem(answer, HttpStatusCode.NotFound);
        Assert.Null(answer.Headers.ETag);
        Assert.Equal(0, Watched);
    }

    [Fact]
    public async Task An_unknown_order_is_not_found_whatever_version_is_named()
    {
        using var answer = await s.As(buyer, "buyer").SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/settlement/orders/{Guid.NewGuid()}")
        {
            Headers = { { "If-None-Match", ETagOf(quoted) }, { "Prefer", "wait=30" } },
        }).WaitAsync(TimeSpan.FromSeconds(30));
        await Expect.Problem(answer, HttpStatusCode.NotFound);
        Assert.Equal(0, Watched);
    }

    [Fact]
    public async Task Placing_accepting_and_cancelling_answer_with_the_orders_version_to_wait_from()
    {
        var placed = await s.PlaceAsync(buyer, sale);
        await Expect.Status(placed, HttpStatusCode.Created);
        var order = (await placed.Content.ReadFromJsonAsync<OrderResponse>(EmbeddedMarketplace.Json))!;
        Assert.Equal(ETagOf(order), placed.Headers.ETag?.ToString());

        var cancelled = await s.As(buyer, "buyer").PostAsync($"/settlement/orders/{order.Id}/cancel", null);
        await Expect.Status(cancelled, HttpStatusCode.OK);
        var after = (await cancelled.Content.ReadFromJsonAsync<OrderResponse>(EmbeddedMarketplace.Json))!;
        Assert.Equal(ETagOf(after), cancelled.Headers.ETag?.ToString());
        Assert.True(after.Version > order.Version);

        var accepted = await s.As(buyer, "buyer").PostAsync($"/settlement/orders/{quoted.Id}/accept", null);
        await Expect.Status(accepted, HttpStatusCode.OK);
        var completed = (await accepted.Content.ReadFromJsonAsync<OrderResponse>(EmbeddedMarketplace.Json))!;
        Assert.Equal((OrderStatus.Completed, ETagOf(completed)), (completed.Status, accepted.Headers.ETag?.ToString()));

        // The trade completed at acceptance: the accept's answer is the order's latest version.
        using var unchanged = await GetAsync(buyer, "buyer", accepted.Headers.ETag!.ToString(), wait: null);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);

        using var refused = await s.As(buyer, "buyer").PostAsync($"/settlement/orders/{quoted.Id}/accept", null);
        await Expect.Problem(refused, HttpStatusCode.Conflict);
        Assert.Null(refused.Headers.ETag);
    }

    [Fact]
    public async Task The_seller_and_operators_may_wait_on_it_too()
    {
        using var seller = await GetAsync(sale.ProviderId, "provider", "\"0\"", wait: 30).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, seller.StatusCode);
        using var op = await s.M.Operator().SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/settlement/orders/{quoted.Id}")
        {
            Headers = { { "If-None-Match", ETagOf(quoted) } },
        });
        Assert.Equal(HttpStatusCode.NotModified, op.StatusCode);
    }
}
