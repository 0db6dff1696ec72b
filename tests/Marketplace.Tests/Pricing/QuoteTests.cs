using System.Net;
using System.Net.Http.Json;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Contracts.Pricing;
using Marketplace.Contracts.Rights;
using Marketplace.Pricing;
using Marketplace.Pricing.Quotes;
using Marketplace.Tests.Catalog;
using Marketplace.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Marketplace.Tests.Pricing;

/// <summary>Quotes on settlement's request: priced exactly, immutable, visible to their parties only, expired by time, one trial per buyer.</summary>
public sealed class QuoteTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private readonly EmbeddedMarketplace m;

    // The background sweep is pushed a day out, so the tests below decide when expiry runs.
    public QuoteTests() => m = new EmbeddedMarketplace(new Dictionary<string, string?> { ["Pricing:Quotes:ExpiryInterval"] = "1.00:00:00" }, time);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await m.DisposeAsync();

    [Fact]
    public async Task A_quote_prices_the_order_and_never_changes_after_the_plan_or_fees_do()
    {
        var p = await PricingSteps.ListedProductAsync(m);
        var plan = await p.PublishAsync(PricingSteps.OneOff(100_001));
        var request = p.Request(plan.Id, 2);
        var quote = await p.QuoteAsync(request);

        // 2 × 100,001 = 200,002; fee 3% = 6,000.06 → 6,000; VAT 6% = 12,000.12 → 12,000 (settlement splits the 194,002 left).
        Assert.Equal((200_002L, 6_000L, 12_000L, 212_002L), (quote.Amount, quote.ExchangeFee, quote.Tax, quote.Total));
        Assert.Equal((TermUnit.Day, 730, QuoteStatus.Issued), (quote.TermUnit, quote.TermLength, quote.Status));
        Assert.Equal(time.GetUtcNow().AddMinutes(30), quote.ValidUntil);
        Assert.Equal(1, await m.CountAsync<PricingDb>(
            "SELECT COUNT(*) FROM pricing.outbox WHERE message_type = @T AND body LIKE @Id", new { T = typeof(QuoteIssued).FullName, Id = $"%{quote.Id}%" }));

        await Expect.Status(await p.Provider.PutAsJsonAsync($"/pricing/plans/{plan.Id}", PricingSteps.OneOff(1)), HttpStatusCode.OK);
        var fees = new HttpRequestMessage(HttpMethod.Put, "/pricing/fees") { Content = JsonContent.Create(new { defaultFeeBps = 9_000, vatBps = 1_300 }) };
        fees.Headers.IfMatch.ParseAdd("\"0\"");
        await Expect.Status(await m.Operator().SendAsync(fees), HttpStatusCode.OK);
        var again = (await p.Buyer.GetFromJsonAsync<QuoteResponse>($"/pricing/quotes/{quote.Id}", EmbeddedMarketplace.Json))!;
        Assert.Equal((quote.Amount, quote.ExchangeFee, quote.Tax, quote.Total, 1, 100_001L, 0), (again.Amount, again.ExchangeFee, again.Tax, again.Total, again.PlanRevision, again.PlanTerms.Price!.Value, again.FeeSchedule));

        var later = await p.QuoteAsync(p.Request(plan.Id));
        Assert.Equal((1L, 1L, 0L, 2, 1), (later.Amount, later.ExchangeFee, later.Tax, later.PlanRevision, later.FeeSchedule));
    }

    [Fact]
    public async Task The_same_request_twice_yields_one_quote()
    {
        var p = await PricingSteps.ListedProductAsync(m);
        var plan = await p.PublishAsync(PricingSteps.OneOff());
        var request = p.Request(plan.Id);
        var quote = await p.QuoteAsync(request);
        await p.QuoteAsync(request with { });
        Assert.Equal(quote.Id, DeterministicId.From(request.RequestId, "quote"));
        Assert.Equal(1, await m.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.quotes WHERE request_id = @Id", new { Id = request.RequestId }));
    }

    [Fact]
    public async Task A_quote_expires_by_time_and_the_sweep_publishes_its_expiry_once()
    {
        var p = await PricingSteps.ListedProductAsync(m);
        var plan = await p.PublishAsync(PricingSteps.OneOff());
        var quote = await p.QuoteAsync(p.Request(plan.Id));
        var expiry = m.Get<QuoteExpiry>();

        time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(0, await expiry.ExpireDueAsync(CancellationToken.None));
        Assert.Equal(QuoteStatus.Issued, (await p.Buyer.GetFromJsonAsync<QuoteResponse>($"/pricing/quotes/{quote.Id}", EmbeddedMarketplace.Json))!.Status);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(QuoteStatus.Expired, (await p.Buyer.GetFromJsonAsync<QuoteResponse>($"/pricing/quotes/{quote.Id}", EmbeddedMarketplace.Json))!.Status);
        Assert.Equal(1, await expiry.ExpireDueAsync(CancellationToken.None));
        Assert.Equal(0, await expiry.ExpireDueAsync(CancellationToken.None));
        Assert.Equal(1, await m.CountAsync<PricingDb>(
            "SELECT COUNT(*) FROM pricing.outbox WHERE message_type = @T AND body LIKE @Id", new { T = typeof(QuoteExpired).FullName, Id = $"%{quote.Id}%" }));
        Assert.Equal(1, await m.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.quotes WHERE id = @Id AND status = 'Expired'", new { quote.Id }));
    }

    [Fact]
    public async Task A_buyer_gets_one_trial_per_product()
    {
        var p = await PricingSteps.ListedProductAsync(m);
        var trial = await p.PublishAsync(PricingSteps.Trial());
        var first = await p.QuoteAsync(p.Request(trial.Id));
        Assert.Equal((0L, 7, TermUnit.Day), (first.Total, first.TermLength, first.TermUnit));
        Assert.Equal("trial-already-used", await p.RefusalAsync(p.Request(trial.Id)));

        var otherBuyer = (await m.AdmitAsync(["buyer"])).Id;
        await Eventually.True(async () => await m.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.participants WHERE id = @Id", new { Id = otherBuyer }) == 1);
        await p.QuoteAsync(p.Request(trial.Id, buyer: otherBuyer));

        // The order the first trial was quoted for ends unsettled (rights refused it, say): the trial is the buyer's again.
        await m.Get<MassTransit.IBus>().Publish(new Marketplace.Contracts.Settlement.OrderEnded(
            first.OrderId, p.BuyerId, p.ProductId, Marketplace.Contracts.Settlement.OrderEndState.Rejected, "seller-not-certified", time.GetUtcNow()));
        await Eventually.True(async () => await m.CountAsync<PricingDb>(
            "SELECT COUNT(*) FROM pricing.trial_uses WHERE buyer_id = @BuyerId AND product_id = @ProductId", new { p.BuyerId, p.ProductId }) == 0, what: "the trial given back");
        await p.QuoteAsync(p.Request(trial.Id));
    }

    [Fact]
    public async Task What_cannot_be_quoted_is_refused_with_a_stable_reason()
    {
        var p = await PricingSteps.ListedProductAsync(m);
        var plan = await p.PublishAsync(PricingSteps.OneOff());
        Assert.Equal("plan-not-found", await p.RefusalAsync(p.Request(Guid.NewGuid())));
        Assert.Equal("quantity-out-of-range", await p.RefusalAsync(p.Request(plan.Id, quantity: 0)));
        Assert.Equal("buyer-not-active", await p.RefusalAsync(p.Request(plan.Id, buyer: Guid.NewGuid())));
        await Expect.Status(await p.Provider.PostAsync($"/pricing/plans/{plan.Id}/retire", null), HttpStatusCode.OK);
        Assert.Equal("plan-retired", await p.RefusalAsync(p.Request(plan.Id)));
        var live = await p.PublishAsync(PricingSteps.OneOff());
        await Expect.Status(await m.Operator().PostAsJsonAsync($"/catalog/products/{p.ProductId}/suspend", new { reason = "暂停" }), HttpStatusCode.OK);
        await Eventually.True(async () => await m.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.products WHERE id = @Id AND status = 'Suspended'", new { Id = p.ProductId }) == 1);
        Assert.Equal("product-not-listed", await p.RefusalAsync(p.Request(live.Id)));
        Assert.Equal(0, await m.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.quotes WHERE product_id = @Id", new { Id = p.ProductId }));
    }

    [Fact]
    public async Task A_quote_is_seen_by_its_buyer_the_provider_and_operators_only()
    {
        var p = await PricingSteps.ListedProductAsync(m);
        var plan = await p.PublishAsync(PricingSteps.OneOff());
        var quote = await p.QuoteAsync(p.Request(plan.Id));
        var stranger = m.ClientAs((await m.AdmitAsync()).Id, "buyer", "provider");

        await Expect.Status(await p.Provider.GetAsync($"/pricing/quotes/{quote.Id}"), HttpStatusCode.OK);
        await Expect.Status(await m.Operator().GetAsync($"/pricing/quotes/{quote.Id}"), HttpStatusCode.OK);
        await Expect.Problem(await stranger.GetAsync($"/pricing/quotes/{quote.Id}"), HttpStatusCode.NotFound);
        await Expect.Problem(await m.Anonymous().GetAsync($"/pricing/quotes/{quote.Id}"), HttpStatusCode.Unauthorized);

        Assert.Empty((await stranger.GetFromJsonAsync<Marketplace.BuildingBlocks.Http.Page<QuoteResponse>>("/pricing/quotes", EmbeddedMarketplace.Json))!.Items);
        Assert.Single((await p.Buyer.GetFromJsonAsync<Marketplace.BuildingBlocks.Http.Page<QuoteResponse>>("/pricing/quotes", EmbeddedMarketplace.Json))!.Items);
        Assert.Single((await p.Provider.GetFromJsonAsync<Marketplace.BuildingBlocks.Http.Page<QuoteResponse>>($"/pricing/quotes?orderId={quote.OrderId}", EmbeddedMarketplace.Json))!.Items);
        Assert.Single((await m.Operator().GetFromJsonAsync<Marketplace.BuildingBlocks.Http.Page<QuoteResponse>>($"/pricing/quotes?orderId={quote.OrderId}", EmbeddedMarketplace.Json))!.Items);
        await Expect.ValidationProblem(await p.Buyer.GetAsync("/pricing/quotes?limit=0&after=%%"), "limit", "after");
    }

    [Fact]
    public async Task An_estimate_prices_like_a_quote_but_stores_nothing()
    {
        var p = await PricingSteps.ListedProductAsync(m);
        var plan = await p.PublishAsync(new { kind = "subscription", name = "月度订阅", price = 9_900, period = "month", maxPeriods = 12 });
        var url = $"/pricing/products/{p.ProductId}/estimate";
        var estimate = (await (await p.Buyer.PostAsJsonAsync(url, new { planId = plan.Id, quantity = 12 })).Content.ReadFromJsonAsync<Estimate>(EmbeddedMarketplace.Json))!;
        Assert.Equal((118_800L, 3_564L, 7_128L, 125_928L, TermUnit.Month, 12), (estimate.Amount, estimate.ExchangeFee, estimate.Tax, estimate.Total, estimate.TermUnit, estimate.TermLength));
        Assert.Equal(0, await m.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.quotes"));

        var refused = await Expect.Problem(await p.Buyer.PostAsJsonAsync(url, new { planId = plan.Id, quantity = 13 }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("quantity-out-of-range", refused.GetProperty("reason").GetString());
        await Expect.ValidationProblem(await p.Buyer.PostAsJsonAsync(url, new { quantity = 0 }), "planId", "quantity");
        await Expect.Problem(await p.Buyer.PostAsJsonAsync($"/pricing/products/{Guid.NewGuid()}/estimate", new { planId = plan.Id, quantity = 1 }), HttpStatusCode.NotFound);
        await Expect.Problem(await m.Anonymous().PostAsJsonAsync(url, new { planId = plan.Id, quantity = 1 }), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_amount_past_what_a_trade_may_move_is_422_naming_the_quantity_never_a_500()
    {
        var p = await PricingSteps.ListedProductAsync(m);
        // Its largest charge, 10^12 calls at 9,000 fen, fits 64 bits (so it is published); most quantities are beyond a trade (10^15 fen).
        var plan = await p.PublishAsync(new { kind = "metered", name = "高价接口", unit = "call", tiers = new object[] { new { upTo = 1_000_000_000_000, unitPrice = 9_000 } } });
        var url = $"/pricing/products/{p.ProductId}/estimate";

        // 10^15 / 9,000 ≈ 111,111,111,111 units is the most a trade may move.
        foreach (var quantity in new[] { 111_111_111_112L, 200_000_000_000L, 1_000_000_000_000L })
        {
            var refused = await Expect.Problem(await p.Buyer.PostAsJsonAsync(url, new { planId = plan.Id, quantity }), HttpStatusCode.UnprocessableEntity);
            Assert.Equal("amount-too-large", refused.GetProperty("reason").GetString());
            Assert.True(refused.GetProperty("errors").TryGetProperty("quantity", out _));
        }

        // 105,000,000,000 units fit as an amount (9.45 × 10^14) but not with 6 % VAT on top.
        await Expect.Problem(await p.Buyer.PostAsJsonAsync(url, new { planId = plan.Id, quantity = 105_000_000_000L }), HttpStatusCode.UnprocessableEntity);

        // The quantity that once overflowed into a 500 is priced exactly.
        var fits = await p.Buyer.PostAsJsonAsync(url, new { planId = plan.Id, quantity = 92_233_720_369L });
        await Expect.Status(fits, HttpStatusCode.OK);
        var estimate = (await fits.Content.ReadFromJsonAsync<Estimate>(EmbeddedMarketplace.Json))!;
        Assert.Equal(830_103_483_321_000L, estimate.Amount);

        // The same request as settlement's quote request: refused with the reason, the quote consumer does not throw.
        Assert.Equal("amount-too-large", await p.RefusalAsync(p.Request(plan.Id, 200_000_000_000L)));
    }
}
