using System.Net;
using System.Net.Http.Json;
using Marketplace.Pricing;
using Marketplace.Pricing.Plans;
using Marketplace.Tests.Catalog;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Pricing;

/// <summary>Price plans: published, revised and retired by the product's provider only, every revision kept, events in the outbox.</summary>
public sealed class PlanTests(AdmissionTests.Host host) : IClassFixture<AdmissionTests.Host>
{
    private EmbeddedMarketplace M => host.Marketplace;

    private Task<long> Outbox(string type, Guid planId) => M.CountAsync<PricingDb>(
        "SELECT COUNT(*) FROM pricing.outbox WHERE message_type = @type AND body LIKE @id",
        new { type = "Marketplace.Contracts.Pricing." + type, id = $"%{planId}%" });

    [Fact]
    public async Task A_provider_publishes_revises_and_retires_a_plan_and_every_revision_is_kept()
    {
        var p = await PricingSteps.ListedProductAsync(M);
        var plan = await p.PublishAsync(new
        {
            kind = "metered", name = "API 按次计费", unit = "call", per = 1000,
            tiers = new object[] { new { upTo = 100_000, unitPrice = 500 }, new { unitPrice = 300 } }, monthlyMinimum = 10_000,
        });
        Assert.Equal((1, PlanStatus.Published, 500L, "CNY", TierMode.Graduated), (plan.Revision, plan.Status, plan.FromPrice, plan.Terms.Currency, plan.Terms.TierMode!.Value));
        Assert.Equal(1, await Outbox("PricePlanPublished", plan.Id));

        var stale = new HttpRequestMessage(HttpMethod.Put, $"/pricing/plans/{plan.Id}") { Content = JsonContent.Create(PricingSteps.OneOff()) };
        stale.Headers.IfMatch.ParseAdd("\"7\"");
        await Expect.Problem(await p.Provider.SendAsync(stale), HttpStatusCode.PreconditionFailed);

        var revise = new HttpRequestMessage(HttpMethod.Put, $"/pricing/plans/{plan.Id}") { Content = JsonContent.Create(PricingSteps.OneOff(88_800)) };
        revise.Headers.IfMatch.ParseAdd("\"1\"");
        var revised = await p.Provider.SendAsync(revise);
        await Expect.Status(revised, HttpStatusCode.OK);
        Assert.Equal("\"2\"", revised.Headers.ETag!.Tag);
        plan = (await revised.Content.ReadFromJsonAsync<PlanResponse>(EmbeddedMarketplace.Json))!;
        Assert.Equal((2, 88_800L), (plan.Revision, plan.FromPrice));
        Assert.Equal(2, await Outbox("PricePlanPublished", plan.Id));

        await Expect.Status(await p.Provider.PostAsync($"/pricing/plans/{plan.Id}/retire", null), HttpStatusCode.OK);
        Assert.Equal(1, await Outbox("PricePlanRetired", plan.Id));
        await Expect.Problem(await p.Provider.PostAsync($"/pricing/plans/{plan.Id}/retire", null), HttpStatusCode.Conflict);
        await Expect.Problem(await p.Provider.PutAsJsonAsync($"/pricing/plans/{plan.Id}", PricingSteps.OneOff()), HttpStatusCode.Conflict);

        var revisions = (await p.Buyer.GetFromJsonAsync<List<RevisionResponse>>($"/pricing/plans/{plan.Id}/revisions", EmbeddedMarketplace.Json))!;
        Assert.Equal([(1, "published", 500L), (2, "published", 88_800L), (2, "retired", 88_800L)], revisions.Select(r => (r.Revision, r.Action, r.Terms.FromPrice)));
        Assert.Empty((await p.Buyer.GetFromJsonAsync<List<PlanResponse>>($"/pricing/products/{p.ProductId}/plans", EmbeddedMarketplace.Json))!);
        Assert.Single((await p.Buyer.GetFromJsonAsync<List<PlanResponse>>($"/pricing/products/{p.ProductId}/plans?includeRetired=true", EmbeddedMarketplace.Json))!);
    }

    public static TheoryData<string, object, string[]> Invalid() => new()
    {
        { "no kind", new { name = "x", price = 100 }, ["kind"] },
        { "one-off without a price", new { kind = "oneOff", name = "x", termDays = 30 }, ["price"] },
        { "zero price", new { kind = "oneOff", name = "x", price = 0, termDays = 30 }, ["price"] },
        { "a price on a free plan", new { kind = "free", name = "x", price = 100, termDays = 30 }, ["price"] },
        { "a trial over 90 days", new { kind = "trial", name = "x", termDays = 91 }, ["termDays"] },
        { "a subscription per day", new { kind = "subscription", name = "x", price = 100, period = "day", maxPeriods = 12 }, ["period"] },
        { "tiers not rising", new { kind = "metered", name = "x", unit = "call", tiers = new object[] { new { upTo = 100, unitPrice = 2 }, new { upTo = 50, unitPrice = 1 } } }, ["tiers"] },
        { "metered without tiers", new { kind = "metered", name = "x", unit = "call" }, ["tiers"] },
        { "an open tier before the last", new { kind = "metered", name = "x", unit = "call", tiers = new object[] { new { unitPrice = 2 }, new { upTo = 50, unitPrice = 1 } } }, ["tiers"] },
        { "a negative unit price", new { kind = "metered", name = "x", unit = "record", tiers = new object[] { new { unitPrice = -1 } } }, ["tiers[0].unitPrice"] },
        { "a metered plan whose largest charge overflows 64 bits", new { kind = "metered", name = "x", unit = "call", tiers = new object[] { new { unitPrice = 10_000_000 } } }, ["tiers"] },
        { "a lowercase currency", new { kind = "oneOff", name = "x", price = 100, termDays = 30, currency = "cny" }, ["currency"] },
        { "an unknown kind (unreadable JSON)", new { kind = "auction", name = "x" }, [] },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task An_invalid_plan_is_refused_field_by_field_and_nothing_is_written(string why, object body, string[] fields)
    {
        _ = why;
        var p = await PricingSteps.ListedProductAsync(M);
        var response = await p.Provider.PostAsJsonAsync($"/pricing/products/{p.ProductId}/plans", body);
        await (fields.Length == 0 ? Expect.Problem(response, HttpStatusCode.BadRequest) : Expect.ValidationProblem(response, fields));

        Assert.Equal(0, await M.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.price_plans WHERE product_id = @Id", new { Id = p.ProductId }));
    }

    [Fact]
    public async Task Only_the_products_provider_may_publish_or_change_its_plans()
    {
        var p = await PricingSteps.ListedProductAsync(M);
        var other = (await ProductSteps.ForNewProviderAsync(M)).Provider;
        var url = $"/pricing/products/{p.ProductId}/plans";
        await Expect.Problem(await M.Anonymous().PostAsJsonAsync(url, PricingSteps.OneOff()), HttpStatusCode.Unauthorized);
        await Expect.Problem(await p.Buyer.PostAsJsonAsync(url, PricingSteps.OneOff()), HttpStatusCode.Forbidden);
        await Expect.Problem(await M.Operator().PostAsJsonAsync(url, PricingSteps.OneOff()), HttpStatusCode.Forbidden);
        await Expect.Problem(await other.PostAsJsonAsync(url, PricingSteps.OneOff()), HttpStatusCode.NotFound);
        await Expect.Problem(await p.Provider.PostAsJsonAsync($"/pricing/products/{Guid.NewGuid()}/plans", PricingSteps.OneOff()), HttpStatusCode.NotFound);

        var plan = await p.PublishAsync(PricingSteps.OneOff());
        await Expect.Problem(await other.PutAsJsonAsync($"/pricing/plans/{plan.Id}", PricingSteps.OneOff(1)), HttpStatusCode.NotFound);
        await Expect.Problem(await other.PostAsync($"/pricing/plans/{plan.Id}/retire", null), HttpStatusCode.NotFound);
        await Expect.Problem(await p.Buyer.PostAsync($"/pricing/plans/{plan.Id}/retire", null), HttpStatusCode.Forbidden);
        await Expect.Problem(await M.Anonymous().GetAsync($"/pricing/plans/{plan.Id}"), HttpStatusCode.Unauthorized);
        await Expect.Status(await M.Operator().GetAsync($"/pricing/plans/{plan.Id}"), HttpStatusCode.OK);
        await Expect.Problem(await p.Buyer.GetAsync($"/pricing/plans/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await Expect.Problem(await p.Buyer.GetAsync($"/pricing/plans/{Guid.NewGuid()}/revisions"), HttpStatusCode.NotFound);
        Assert.Equal(1, await M.CountAsync<PricingDb>("SELECT version FROM pricing.price_plans WHERE id = @Id", new { plan.Id }));
    }

    [Fact]
    public async Task Catalog_search_shows_the_cheapest_published_plan_and_keeps_it_across_a_suspension()
    {
        var p = await PricingSteps.ListedProductAsync(M);
        var yearly = await p.PublishAsync(PricingSteps.OneOff(88_800));
        var monthly = await p.PublishAsync(new { kind = "subscription", name = "月度订阅", price = 9_900, period = "month", maxPeriods = 12 });
        await p.PublishAsync(new { kind = "oneOff", name = "美元授权", currency = "USD", price = 100, termDays = 30 });
        await CheapestIs(p, 9_900);

        await Expect.Status(await p.Provider.PostAsync($"/pricing/plans/{monthly.Id}/retire", null), HttpStatusCode.OK);
        await CheapestIs(p, 88_800);

        await Expect.Status(await M.Operator().PostAsJsonAsync($"/catalog/products/{p.ProductId}/suspend", new { reason = "核查" }), HttpStatusCode.OK);
        await Expect.Status(await M.Operator().PostAsync($"/catalog/products/{p.ProductId}/reinstate", null), HttpStatusCode.OK);
        await CheapestIs(p, 88_800);

        await Expect.Status(await p.Provider.PostAsync($"/pricing/plans/{yearly.Id}/retire", null), HttpStatusCode.OK);
        await CheapestIs(p, null);
    }

    [Fact]
    public async Task Sorting_by_price_puts_priced_products_first_and_unpriced_ones_last()
    {
        var priced = await PricingSteps.ListedProductAsync(M);
        var unpriced = await PricingSteps.ListedProductAsync(M);
        await priced.PublishAsync(PricingSteps.OneOff(12_300));
        await CheapestIs(priced, 12_300);

        foreach (var query in new[] { "sort=price", "sort=price&q=" + Uri.EscapeDataString("交通"), "sort=price&q=" + Uri.EscapeDataString("交通") + "&subject=enterprise" })
        {
            var page = (await priced.Buyer.GetFromJsonAsync<Marketplace.BuildingBlocks.Http.Page<Marketplace.Catalog.Search.SearchHit>>($"/catalog/search?{query}", EmbeddedMarketplace.Json))!;
            var order = page.Items.Select(h => h.ProductId).Where(id => id == priced.ProductId || id == unpriced.ProductId).ToList();
            Assert.Equal([priced.ProductId, unpriced.ProductId], order);
        }
    }

    private async Task CheapestIs(PricingSteps p, long? fen) => await Eventually.True(async () =>
    {
        var page = await p.Buyer.GetFromJsonAsync<Marketplace.BuildingBlocks.Http.Page<Marketplace.Catalog.Search.SearchHit>>(
            $"/catalog/search?provider={p.ProviderId}", EmbeddedMarketplace.Json);
        return page!.Items.Single().MinPrice == fen;
    }, what: $"catalog showing a cheapest price of {fen}");

    [Fact]
    public async Task No_plan_is_published_on_a_delisted_product()
    {
        var p = await PricingSteps.ListedProductAsync(M);
        await Expect.Status(await M.Operator().PostAsJsonAsync($"/catalog/products/{p.ProductId}/delist", new { reason = "摘牌" }), HttpStatusCode.OK);
        await Eventually.True(async () => await M.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.products WHERE id = @Id AND status = 'Delisted'", new { Id = p.ProductId }) == 1);
        await Expect.Problem(await p.Provider.PostAsJsonAsync($"/pricing/products/{p.ProductId}/plans", PricingSteps.OneOff()), HttpStatusCode.Conflict);
    }
}
