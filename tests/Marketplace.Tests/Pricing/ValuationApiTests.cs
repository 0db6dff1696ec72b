using System.Net;
using System.Net.Http.Json;
using Marketplace.Contracts.Settlement;
using Marketplace.Pricing;
using Marketplace.Pricing.Comparables;
using Marketplace.Pricing.Valuation;
using Marketplace.Tests.Catalog;
using Marketplace.Tests.Support;
using MassTransit;

namespace Marketplace.Tests.Pricing;

/// <summary>Valuations for the provider and operators; comparables from settled trades; price guidance.</summary>
public sealed class ValuationApiTests(AdmissionTests.Host host) : IClassFixture<AdmissionTests.Host>
{
    private static readonly object CostRequest = new
    {
        method = "cost",
        cost = new
        {
            items = new object[] { new { category = "acquisition", amount = 300_000 }, new { category = "processing", amount = 100_000 } },
            profitRateBps = 2_000,
            qualityFactor = 1.05,
        },
    };

    private EmbeddedMarketplace M => host.Marketplace;

    private static TradeSettled Settled(Guid order, Guid productId, long amount, DateTimeOffset at, string currency = "CNY") =>
        new(order, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), productId, Guid.NewGuid(), 1, currency, amount, Guid.NewGuid(), "研究", false, at.AddYears(1), at);

    private async Task SettleAsync(Guid productId, long amount, DateTimeOffset at, string currency = "CNY")
    {
        var order = Guid.NewGuid();
        await M.Get<IBus>().Publish(Settled(order, productId, amount, at, currency));
        await Eventually.True(async () => await M.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.settled_trades WHERE order_id = @order", new { order }) == 1);
    }

    [Fact]
    public async Task A_provider_values_its_product_by_each_method_and_compares_them_side_by_side()
    {
        var p = await PricingSteps.ListedProductAsync(M);
        var created = await p.Provider.PostAsJsonAsync($"/pricing/products/{p.ProductId}/valuations", CostRequest);
        await Expect.Status(created, HttpStatusCode.Created);
        var cost = (await created.Content.ReadFromJsonAsync<ValuationResponse>(EmbeddedMarketplace.Json))!;
        Assert.Equal(504_000, cost.Value); // 400,000 × 1.2 × 1.05
        Assert.Contains(cost.Steps, s => s.Name == "total cost" && s.Value == 400_000m);

        var income = await p.Provider.PostAsJsonAsync($"/pricing/products/{p.ProductId}/valuations", new
        {
            method = "income", income = new { cashFlows = new[] { 1_100_000L, 1_210_000L }, contributionShareBps = 5_000, discountRateBps = 1_000 },
        });
        await Expect.Status(income, HttpStatusCode.Created); // 550,000/1.1 + 605,000/1.21 = 1,000,000

        // The market method needs comparables: trades settled in the product's category (G) in CNY.
        await Expect.Problem(await p.Provider.PostAsJsonAsync($"/pricing/products/{p.ProductId}/valuations", new { method = "market", market = new { } }), HttpStatusCode.UnprocessableEntity);
        var now = DateTimeOffset.UtcNow;
        await SettleAsync(p.ProductId, 90_000, now.AddDays(-1));
        await SettleAsync(p.ProductId, 110_000, now.AddDays(-2));
        await SettleAsync(p.ProductId, 999_999, now.AddDays(-1), "USD");
        var market = await p.Provider.PostAsJsonAsync($"/pricing/products/{p.ProductId}/valuations", new { method = "market", market = new { lookbackDays = 30 } });
        await Expect.Status(market, HttpStatusCode.Created);
        Assert.Equal(100_000, (await market.Content.ReadFromJsonAsync<ValuationResponse>(EmbeddedMarketplace.Json))!.Value);

        var comparison = (await M.Operator().GetFromJsonAsync<ValuationComparison>($"/pricing/products/{p.ProductId}/valuations", EmbeddedMarketplace.Json))!;
        Assert.Equal((504_000L, 1_000_000L, 100_000L, 3), (comparison.Cost!.Value, comparison.Income!.Value, comparison.Market!.Value, comparison.History.Count));
        var read = (await p.Provider.GetFromJsonAsync<ValuationResponse>($"/pricing/valuations/{cost.Id}", EmbeddedMarketplace.Json))!;
        Assert.Equal((cost.Value, cost.Steps.Count, 1.05m), (read.Value, read.Steps.Count, read.Inputs.Cost!.QualityFactor!.Value));
    }

    [Fact]
    public async Task Valuations_are_the_providers_and_operators_business_only()
    {
        var p = await PricingSteps.ListedProductAsync(M);
        var otherProvider = (await ProductSteps.ForNewProviderAsync(M)).Provider;
        var url = $"/pricing/products/{p.ProductId}/valuations";
        await Expect.Problem(await otherProvider.PostAsJsonAsync(url, CostRequest), HttpStatusCode.NotFound);
        await Expect.Problem(await p.Buyer.PostAsJsonAsync(url, CostRequest), HttpStatusCode.NotFound);
        await Expect.Problem(await M.Anonymous().PostAsJsonAsync(url, CostRequest), HttpStatusCode.Unauthorized);
        var byOperator = await M.Operator().PostAsJsonAsync(url, CostRequest);
        await Expect.Status(byOperator, HttpStatusCode.Created);
        var valuation = (await byOperator.Content.ReadFromJsonAsync<ValuationResponse>(EmbeddedMarketplace.Json))!;
        await Expect.Problem(await otherProvider.GetAsync($"/pricing/valuations/{valuation.Id}"), HttpStatusCode.NotFound);
        await Expect.Problem(await p.Buyer.GetAsync(url), HttpStatusCode.NotFound);
        await Expect.Status(await p.Provider.GetAsync($"/pricing/valuations/{valuation.Id}"), HttpStatusCode.OK);
        await Expect.Problem(await p.Provider.GetAsync($"/pricing/valuations/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }

    public static TheoryData<object, string> Invalid() => new()
    {
        { new { cost = new { } }, "method" },
        { new { method = "cost" }, "cost" },
        { new { method = "cost", income = new { cashFlows = new[] { 1 }, contributionShareBps = 1, discountRateBps = 1 }, cost = new { items = new[] { new { category = "other", amount = 1 } }, profitRateBps = 0 } }, "income" },
        { new { method = "cost", cost = new { items = Array.Empty<object>(), profitRateBps = 0 } }, "cost.items" },
        { new { method = "cost", cost = new { items = new[] { new { category = "other", amount = -1 } }, profitRateBps = 0 } }, "cost.items[0].amount" },
        { new { method = "cost", cost = new { items = new[] { new { category = "other", amount = 1 } }, profitRateBps = 0, scarcityFactor = 0.05 } }, "cost.scarcityFactor" },
        { new { method = "cost", cost = new { items = new[] { new { category = "other", amount = 1 } }, profitRateBps = 0, qualityFactor = 1.00001 } }, "cost.qualityFactor" },
        { new { method = "income", income = new { contributionShareBps = 1, discountRateBps = 1 } }, "income.cashFlows" },
        { new { method = "income", income = new { cashFlows = new[] { 1 }, contributionShareBps = 0, discountRateBps = 1 } }, "income.contributionShareBps" },
        { new { method = "income", income = new { cashFlows = new[] { 1 }, contributionShareBps = 1, discountRateBps = 1, periods = 2 } }, "income.periods" },
        { new { method = "market", market = new { lookbackDays = 0 } }, "market.lookbackDays" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Invalid_inputs_are_refused_field_by_field_and_nothing_is_stored(object body, string field)
    {
        var p = await PricingSteps.ListedProductAsync(M);
        await Expect.ValidationProblem(await p.Provider.PostAsJsonAsync($"/pricing/products/{p.ProductId}/valuations", body), field);
        Assert.Equal(0, await M.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.valuations WHERE product_id = @Id", new { Id = p.ProductId }));
    }

    [Fact]
    public async Task Price_guidance_shows_the_distribution_of_comparable_settled_prices()
    {
        var p = await PricingSteps.ListedProductAsync(M, ProductSteps.Content() is var c ? WithCategory(c, "P") : null);
        var now = DateTimeOffset.UtcNow;
        foreach (var amount in new long[] { 400, 100, 300, 200 })
        {
            await SettleAsync(p.ProductId, amount, now.AddDays(-10));
        }

        await SettleAsync(p.ProductId, 1_000_000, now.AddDays(-400));

        // A trade refunded in full is no price the market paid — even when the refund arrives before the settlement; a partial refund stays.
        var refunded = Guid.NewGuid();
        await M.Get<IBus>().Publish(new TradeRefunded(refunded, Guid.NewGuid(), p.ProductId, "CNY", 9_999_999, Full: true, "dispute-upheld", now));
        await Eventually.True(async () => await M.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.refunded_trades WHERE order_id = @refunded", new { refunded }) == 1);
        await M.Get<IBus>().Publish(Settled(refunded, p.ProductId, 9_999_999, now.AddDays(-5)));
        await Eventually.True(async () => await M.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.settled_trades WHERE order_id = @refunded", new { refunded }) == 1);
        var partial = Guid.NewGuid();
        await M.Get<IBus>().Publish(new TradeRefunded(partial, Guid.NewGuid(), p.ProductId, "CNY", 1, Full: false, "dispute-upheld", now));

        var guidance = (await p.Buyer.GetFromJsonAsync<Guidance>($"/pricing/products/{p.ProductId}/guidance", EmbeddedMarketplace.Json))!;
        Assert.Equal((4, 175L, 250L, 325L), (guidance.Count, guidance.P25!.Value, guidance.Median!.Value, guidance.P75!.Value));

        var from = Uri.EscapeDataString(now.AddDays(-500).ToString("O"));
        var wide = (await p.Buyer.GetFromJsonAsync<Guidance>($"/pricing/products/{p.ProductId}/guidance?from={from}", EmbeddedMarketplace.Json))!;
        Assert.Equal((5, 300L), (wide.Count, wide.Median!.Value));

        var none = (await p.Buyer.GetFromJsonAsync<Guidance>($"/pricing/products/{p.ProductId}/guidance?currency=EUR", EmbeddedMarketplace.Json))!;
        Assert.Equal((0, (long?)null), (none.Count, none.Median));
        await Expect.ValidationProblem(await p.Buyer.GetAsync($"/pricing/products/{p.ProductId}/guidance?currency=eu"), "currency");
        await Expect.Problem(await p.Buyer.GetAsync($"/pricing/products/{Guid.NewGuid()}/guidance"), HttpStatusCode.NotFound);
        await Expect.Problem(await M.Anonymous().GetAsync($"/pricing/products/{p.ProductId}/guidance"), HttpStatusCode.Unauthorized);
    }

    private static object WithCategory(object content, string category)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToNode(content)!.AsObject();
        json["category"] = category;
        return json;
    }
}
