using System.Net;
using System.Net.Http.Json;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Settlement;
using Marketplace.Contracts.Rights;
using Marketplace.Rights;
using Marketplace.Rights.Licences;
using Marketplace.Settlement.Orders;
using Marketplace.Tests.Support;
using MassTransit;

namespace Marketplace.Tests.Rights;

/// <summary>Licences granted on settled trades: scope, who sees them, suspension, revocation, expiry by time, exclusivity under concurrency.</summary>
public sealed class LicenceTests : IAsyncLifetime
{
    private readonly RightsSteps s = RightsSteps.NewHost();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await s.M.DisposeAsync();

    /// <summary>What settlement publishes when a trade settles: the licence it bought, named and dated.</summary>
    private TradeSettled Request(Guid buyer, Guid product, bool exclusive = false, int months = 12)
    {
        var order = Guid.NewGuid();
        var now = s.Time.GetUtcNow();
        return new(order, Guid.NewGuid(), buyer, Guid.NewGuid(), product, Guid.NewGuid(), 1, "CNY", 100, AcceptOrder.LicenceOf(order), "城市交通规划研究", exclusive,
            now.AddMonths(months), now);
    }

    private async Task<LicenceResponse> IssueAsync(TradeSettled request)
    {
        await s.M.Get<IBus>().Publish(request);
        return await Eventually.Get(async () =>
        {
            var response = await s.As(request.BuyerId, "buyer").GetAsync($"/rights/licences/{request.LicenceId}");
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<LicenceResponse>(EmbeddedMarketplace.Json) : null;
        }, what: "the licence");
    }

    [Fact]
    public async Task A_settled_trade_yields_a_licence_its_buyer_and_provider_see_and_nobody_else()
    {
        var provider = await s.ParticipantAsync();
        var product = await s.ProductAsync(provider);
        var buyer = await s.ParticipantAsync();
        var request = Request(buyer, product);
        var licence = await IssueAsync(request);
        Assert.Equal((LicenceStatus.Active, provider, false, "processing-and-use"), (licence.Status, licence.ProviderId, licence.Transferable, licence.Right));
        Assert.Equal((request.LicenceId, request.SettledAt, request.SettledAt.AddMonths(12)), (licence.Id, licence.StartsAt, licence.EndsAt));

        await s.M.Get<IBus>().Publish(request); // the event delivered again: still one licence
        var stranger = await s.ParticipantAsync();
        await Expect.Status(await s.As(provider, "provider").GetAsync($"/rights/licences/{licence.Id}"), HttpStatusCode.OK);
        await Expect.Status(await s.M.Operator().GetAsync($"/rights/licences/{licence.Id}"), HttpStatusCode.OK);
        await Expect.Problem(await s.As(stranger, "buyer").GetAsync($"/rights/licences/{licence.Id}"), HttpStatusCode.NotFound);
        await Expect.Problem(await s.M.Anonymous().GetAsync($"/rights/licences/{licence.Id}"), HttpStatusCode.Unauthorized);
        Assert.Single((await s.As(buyer, "buyer").GetFromJsonAsync<Page<LicenceResponse>>("/rights/licences", EmbeddedMarketplace.Json))!.Items);
        Assert.Single((await s.As(provider, "provider").GetFromJsonAsync<Page<LicenceResponse>>($"/rights/licences?productId={product}", EmbeddedMarketplace.Json))!.Items);
        Assert.Empty((await s.As(stranger, "buyer").GetFromJsonAsync<Page<LicenceResponse>>("/rights/licences", EmbeddedMarketplace.Json))!.Items);
        Assert.Single((await s.M.Operator().GetFromJsonAsync<Page<LicenceResponse>>($"/rights/licences?productId={product}&status=active", EmbeddedMarketplace.Json))!.Items);
        await Expect.ValidationProblem(await s.As(buyer, "buyer").GetAsync("/rights/licences?status=lost&limit=500"), "status", "limit");
        Assert.Equal(1, await s.M.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.licences WHERE order_id = @OrderId", new { request.OrderId }));
    }

    [Fact]
    public async Task Operators_suspend_reinstate_and_revoke_and_each_change_is_published()
    {
        var provider = await s.ParticipantAsync();
        var buyer = await s.ParticipantAsync();
        var licence = await IssueAsync(Request(buyer, await s.ProductAsync(provider)));
        var url = $"/rights/licences/{licence.Id}";
        await Expect.Problem(await s.As(provider, "provider").PostAsJsonAsync($"{url}/suspend", new { reason = "x" }), HttpStatusCode.Forbidden);
        await Expect.ValidationProblem(await s.M.Operator().PostAsJsonAsync($"{url}/suspend", new { }), "reason");
        await Expect.Problem(await s.M.Operator().PostAsync($"{url}/reinstate", null), HttpStatusCode.Conflict);
        await Expect.Status(await s.M.Operator().PostAsJsonAsync($"{url}/suspend", new { reason = "涉嫌超范围使用" }), HttpStatusCode.OK);
        await Expect.Status(await s.M.Operator().PostAsync($"{url}/reinstate", null), HttpStatusCode.OK);
        var revoked = await s.M.Operator().PostAsJsonAsync($"{url}/revoke", new { reason = "争议成立" });
        await Expect.Status(revoked, HttpStatusCode.OK);
        Assert.Equal(LicenceStatus.Revoked, (await revoked.Content.ReadFromJsonAsync<LicenceResponse>(EmbeddedMarketplace.Json))!.Status);
        await Expect.Problem(await s.M.Operator().PostAsJsonAsync($"{url}/revoke", new { reason = "again" }), HttpStatusCode.Conflict);
        await Expect.Problem(await s.M.Operator().PostAsJsonAsync($"/rights/licences/{Guid.NewGuid()}/revoke", new { reason = "x" }), HttpStatusCode.NotFound);
        Assert.Equal(1, await s.CountPublishedAsync<LicenceSuspended>(licence.Id));
        Assert.Equal(1, await s.CountPublishedAsync<LicenceReinstated>(licence.Id));
        Assert.Equal(1, await s.CountPublishedAsync<LicenceRevoked>(licence.Id));
    }

    [Fact]
    public async Task A_licence_expires_when_its_term_ends()
    {
        var provider = await s.ParticipantAsync();
        var buyer = await s.ParticipantAsync();
        var licence = await IssueAsync(Request(buyer, await s.ProductAsync(provider), months: 1));
        s.Time.SetUtcNow(licence.EndsAt.AddSeconds(-1));
        Assert.Equal(0, (await s.Clock().TickAsync(CancellationToken.None)).LicencesExpired);
        s.Time.SetUtcNow(licence.EndsAt);
        Assert.Equal(1, (await s.Clock().TickAsync(CancellationToken.None)).LicencesExpired);
        Assert.Equal(LicenceStatus.Expired, (await s.As(buyer, "buyer").GetFromJsonAsync<LicenceResponse>($"/rights/licences/{licence.Id}", EmbeddedMarketplace.Json))!.Status);
        Assert.Equal(1, await s.CountPublishedAsync<LicenceExpired>(licence.Id));
    }

    [Fact]
    [Trait("Category", Races.Category)]
    public async Task Two_concurrent_exclusive_requests_for_one_product_yield_at_most_one_licence()
    {
        var provider = await s.ParticipantAsync();
        var buyers = new[] { await s.ParticipantAsync(), await s.ParticipantAsync() };
        for (var round = 0; round < Races.Rounds(20); round++)
        {
            var product = await s.ProductAsync(provider);
            var requests = buyers.Select(b => Request(b, product, exclusive: true)).ToArray();
            await Task.WhenAll(requests.Select(r => s.M.Get<IBus>().Publish(r)));
            await Eventually.True(async () => await Answered(requests[0]) && await Answered(requests[1]), what: "both requests answered");
            Assert.Equal(1, await s.M.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.licences WHERE product_id = @product AND status = 'Active'", new { product }));
            Assert.Equal(1, await s.CountPublishedAsync<LicenceRefused>(requests[0].OrderId) + await s.CountPublishedAsync<LicenceRefused>(requests[1].OrderId));
        }
    }

    [Fact]
    public async Task An_exclusive_licence_blocks_any_other_and_a_live_licence_blocks_an_exclusive_one()
    {
        var provider = await s.ParticipantAsync();
        var buyer = await s.ParticipantAsync();
        var product = await s.ProductAsync(provider);
        await IssueAsync(Request(buyer, product));
        var exclusive = Request(buyer, product, exclusive: true);
        await s.M.Get<IBus>().Publish(exclusive);
        Assert.Equal("exclusive-conflict", (await s.PublishedAsync<LicenceRefused>(exclusive.OrderId)).GetProperty("reason").GetString());

        var other = await s.ProductAsync(provider);
        var first = await IssueAsync(Request(buyer, other, exclusive: true, months: 1));
        var plain = Request(buyer, other);
        await s.M.Get<IBus>().Publish(plain);
        Assert.Equal("exclusive-licence-active", (await s.PublishedAsync<LicenceRefused>(plain.OrderId)).GetProperty("reason").GetString());

        s.Time.SetUtcNow(first.EndsAt);
        await s.Clock().TickAsync(CancellationToken.None);
        await IssueAsync(Request(buyer, other, exclusive: true)); // the first exclusive term is over
    }

    private async Task<bool> Answered(TradeSettled request) =>
        await s.M.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.licences WHERE order_id = @OrderId", new { request.OrderId }) == 1
        || await s.CountPublishedAsync<LicenceRefused>(request.OrderId) == 1;
}
