using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Pricing;
using Marketplace.Contracts.Rights;
using Marketplace.Contracts.Settlement;
using Marketplace.Rights.Access;
using Marketplace.Settlement.Orders;
using Marketplace.Tests.Support;
using MassTransit;

namespace Marketplace.Tests.Rights;

/// <summary>Access decisions for orders: each rule with its stable code, the provider's approval and its deadline, and the explanation.</summary>
public sealed class AccessTests : IAsyncLifetime
{
    private readonly RightsSteps s = RightsSteps.NewHost();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await s.M.DisposeAsync();

    /// <summary>Sends the order's request and returns the decision published: its kind and its body.</summary>
    private async Task<Decision> DecideAsync(Guid buyer, Guid product, bool exclusive = false)
    {
        var order = Guid.NewGuid();
        await s.M.Get<IBus>().Publish(new OrderPlaced(order, buyer, product, Guid.NewGuid(), 1, "城市交通规划研究", exclusive, s.Time.GetUtcNow()));
        return await Eventually.Get(async () =>
        {
            foreach (var (type, name) in new[] { (typeof(AccessApproved), "approved"), (typeof(AccessRejected), "rejected"), (typeof(AccessAwaitingProvider), "awaiting") })
            {
                if (await s.M.CountAsync<Marketplace.Rights.RightsDb>("SELECT COUNT(*) FROM rights.outbox WHERE message_type = @T AND body LIKE @O", new { T = type.FullName, O = $"%{order}%" }) == 1)
                {
                    return new Decision(name, await BodyAsync(type, order));
                }
            }

            return null;
        }, what: "the access decision");
    }

    private async Task<JsonElement> BodyAsync(Type type, Guid key)
    {
        await using var connection = await s.M.Get<Marketplace.Rights.RightsDb>().OpenAsync();
        var body = await Dapper.SqlMapper.QueryFirstAsync<string>(connection,
            "SELECT body FROM rights.outbox WHERE message_type = @T AND body LIKE @K ORDER BY seq DESC", new { T = type.FullName, K = $"%{key}%" });
        return JsonDocument.Parse(body).RootElement;
    }

    private static string Reason(Decision decision)
    {
        Assert.Equal("rejected", decision.Type);
        return decision.Body.GetProperty("reason").GetString()!;
    }

    [Fact]
    public async Task An_approval_carries_the_certified_holders_and_their_shares()
    {
        var provider = await s.ParticipantAsync();
        var partner = await s.ParticipantAsync(ParticipantRoles.Provider);
        var product = await s.ProductAsync(provider);
        var buyer = await s.ParticipantAsync(ParticipantRoles.Buyer);
        Assert.Equal("seller-not-certified", Reason(await DecideAsync(buyer, product)));

        var number = await s.CertifiedAsync(provider, product, (provider, 8_000), (partner, 2_000));
        var approved = await DecideAsync(buyer, product);
        Assert.Equal("approved", approved.Type);
        Assert.Equal(number, approved.Body.GetProperty("certificateNumber").GetString());
        Assert.Equal(provider, approved.Body.GetProperty("sellerId").GetGuid());
        Assert.Equal([8_000, 2_000], approved.Body.GetProperty("holders").EnumerateArray().Select(h => h.GetProperty("shareBps").GetInt32()));
    }

    [Fact]
    public async Task Each_rule_rejects_with_its_own_code()
    {
        var provider = await s.ParticipantAsync();
        var general = await s.ProductAsync(provider, exclusiveAllowed: false);
        var important = await s.ProductAsync(provider, DataGrade.Important);
        var personal = await s.ProductAsync(provider, DataGrade.General, DataSubject.Personal);
        foreach (var product in new[] { general, important, personal })
        {
            await s.CertifiedAsync(provider, product);
        }

        var basic = await s.ParticipantAsync(ParticipantRoles.Buyer);
        Assert.Equal("qualification-insufficient", Reason(await DecideAsync(basic, important)));
        Assert.Equal("buyer-not-admitted", Reason(await DecideAsync(Guid.NewGuid(), general)));
        Assert.Equal("buyer-not-admitted", Reason(await DecideAsync(await s.ParticipantAsync(ParticipantRoles.Provider), general)));
        Assert.Equal("exclusive-not-allowed", Reason(await DecideAsync(basic, general, exclusive: true)));

        var suspended = await s.ParticipantAsync(ParticipantRoles.Buyer);
        await s.M.Get<IBus>().Publish(new ParticipantSuspended(suspended, "违规", 2, s.Time.GetUtcNow()));
        await Eventually.True(async () => await s.M.CountAsync<Marketplace.Rights.RightsDb>("SELECT COUNT(*) FROM rights.participants WHERE id = @suspended AND status = 'Suspended'", new { suspended }) == 1);
        Assert.Equal("buyer-suspended", Reason(await DecideAsync(suspended, general)));

        var abroad = await s.ParticipantAsync(ParticipantRoles.Buyer, Jurisdiction.Outside, QualificationLevel.Qualified);
        Assert.Equal("cross-border-assessment-missing", Reason(await DecideAsync(abroad, important)));
        Assert.Equal("cross-border-assessment-missing", Reason(await DecideAsync(abroad, personal)));
        Assert.Equal("approved", (await DecideAsync(abroad, general)).Type);
        await Expect.Status(await s.M.Operator().PostAsJsonAsync($"/rights/products/{important}/security-assessments",
            new { reference = "网信办数据出境安全评估 2026-0042", validUntil = s.Time.GetUtcNow().AddYears(2) }), HttpStatusCode.Created);
        Assert.Equal("approved", (await DecideAsync(abroad, important)).Type);

        await s.M.Get<IBus>().Publish(new ProductSuspended(general, "核查", 3, s.Time.GetUtcNow()));
        await Eventually.True(async () => await s.M.CountAsync<Marketplace.Rights.RightsDb>("SELECT COUNT(*) FROM rights.products WHERE id = @general AND status = 'Suspended'", new { general }) == 1);
        Assert.Equal("product-not-listed", Reason(await DecideAsync(basic, general)));
    }

    [Fact]
    public async Task Exclusivity_is_reserved_at_the_decision_kept_by_the_licence_and_released_when_the_order_ends()
    {
        var provider = await s.ParticipantAsync();
        var product = await s.ProductAsync(provider);
        await s.CertifiedAsync(provider, product);
        var buyer = await s.ParticipantAsync(ParticipantRoles.Buyer);
        var first = await DecideAsync(buyer, product, exclusive: true);
        Assert.Equal("approved", first.Type);
        Assert.Equal("exclusive-reserved", Reason(await DecideAsync(buyer, product)));
        Assert.Equal("exclusive-conflict", Reason(await DecideAsync(buyer, product, exclusive: true)));

        // The trade settles: the licence takes the reservation over and keeps the others out.
        var order = first.Body.GetProperty("orderId").GetGuid();
        var now = s.Time.GetUtcNow();
        await s.M.Get<IBus>().Publish(new TradeSettled(
            order, Guid.NewGuid(), buyer, provider, product, Guid.NewGuid(), 1, "CNY", 100, AcceptOrder.LicenceOf(order), "研究", true, now.AddYears(1), now));
        await Eventually.True(async () => await s.M.CountAsync<Marketplace.Rights.RightsDb>(
            "SELECT COUNT(*) FROM rights.reservations WHERE order_id = @order AND status = 'Licensed'", new { order }) == 1);
        Assert.Equal(1, await s.M.CountAsync<Marketplace.Rights.RightsDb>("SELECT COUNT(*) FROM rights.licences WHERE order_id = @order", new { order }));
        Assert.Equal("exclusive-licence-active", Reason(await DecideAsync(buyer, product)));
        Assert.Equal("exclusive-conflict", Reason(await DecideAsync(buyer, product, exclusive: true)));

        // On another product, an order that ends unsettled lets the next buyer through.
        var other = await s.ProductAsync(provider);
        await s.CertifiedAsync(provider, other);
        var reserved = (await DecideAsync(buyer, other, exclusive: true)).Body.GetProperty("orderId").GetGuid();
        Assert.Equal("exclusive-conflict", Reason(await DecideAsync(buyer, other, exclusive: true)));
        await s.M.Get<IBus>().Publish(new OrderEnded(reserved, buyer, other, OrderEndState.Cancelled, "cancelled-by-buyer", s.Time.GetUtcNow()));
        await Eventually.True(async () => await s.M.CountAsync<Marketplace.Rights.RightsDb>(
            "SELECT COUNT(*) FROM rights.reservations WHERE order_id = @reserved AND status = 'Ended'", new { reserved }) == 1);
        Assert.Equal("approved", (await DecideAsync(buyer, other, exclusive: true)).Type);
    }

    [Fact]
    public async Task An_order_that_ended_before_its_decision_reserves_nothing()
    {
        var provider = await s.ParticipantAsync();
        var product = await s.ProductAsync(provider);
        await s.CertifiedAsync(provider, product);
        var buyer = await s.ParticipantAsync(ParticipantRoles.Buyer);
        var order = Guid.NewGuid();
        await s.M.Get<IBus>().Publish(new OrderEnded(order, buyer, product, OrderEndState.Cancelled, "cancelled-by-buyer", s.Time.GetUtcNow()));
        await Eventually.True(async () => await s.M.CountAsync<Marketplace.Rights.RightsDb>(
            "SELECT COUNT(*) FROM rights.reservations WHERE order_id = @order AND status = 'Ended'", new { order }) == 1);
        var late = Guid.NewGuid();
        await s.M.Get<IBus>().Publish(new OrderPlaced(order, buyer, product, Guid.NewGuid(), 1, "研究", true, s.Time.GetUtcNow()), c => c.MessageId = late);
        await Eventually.True(async () => await s.M.CountAsync<Marketplace.Rights.RightsDb>(
            "SELECT COUNT(*) FROM rights.inbox WHERE message_id = @late AND consumer = 'DecideAccessConsumer'", new { late }) == 1, what: "the late order consumed");
        Assert.Equal("approved", (await DecideAsync(buyer, product, exclusive: true)).Type); // the late order took nothing
        Assert.Equal(0, await s.M.CountAsync<Marketplace.Rights.RightsDb>(
            "SELECT COUNT(*) FROM rights.outbox WHERE message_type = @T AND body LIKE @O", new { T = typeof(AccessApproved).FullName, O = $"%{order}%" }));
    }

    [Fact]
    public async Task A_product_needing_approval_waits_for_its_provider_who_approves_or_refuses_before_the_deadline()
    {
        var provider = await s.ParticipantAsync();
        var product = await s.ProductAsync(provider, manual: true);
        await s.CertifiedAsync(provider, product);
        var buyer = await s.ParticipantAsync(ParticipantRoles.Buyer);

        var waiting = await DecideAsync(buyer, product);
        Assert.Equal("awaiting", waiting.Type);
        var order = waiting.Body.GetProperty("orderId").GetGuid();
        Assert.Equal(s.Time.GetUtcNow().AddHours(72), waiting.Body.GetProperty("deadline").GetDateTimeOffset());
        var queue = (await s.As(provider, "provider").GetFromJsonAsync<Page<AccessRequest>>("/rights/access/requests?status=awaitingProvider", EmbeddedMarketplace.Json))!;
        Assert.Equal(order, Assert.Single(queue.Items).OrderId);
        var other = await s.ParticipantAsync();
        Assert.Empty((await s.As(other, "provider").GetFromJsonAsync<Page<AccessRequest>>("/rights/access/requests", EmbeddedMarketplace.Json))!.Items);
        await Expect.Problem(await s.As(buyer, "buyer").GetAsync("/rights/access/requests"), HttpStatusCode.Forbidden); // requests wait for providers
        await Expect.Problem(await s.As(other, "provider").PostAsync($"/rights/access/requests/{order}/approve", null), HttpStatusCode.NotFound);
        await Expect.Problem(await s.As(buyer, "buyer").PostAsync($"/rights/access/requests/{order}/approve", null), HttpStatusCode.Forbidden);

        await Expect.Status(await s.As(provider, "provider").PostAsync($"/rights/access/requests/{order}/approve", null), HttpStatusCode.OK);
        Assert.Equal(provider, (await BodyAsync(typeof(AccessApproved), order)).GetProperty("sellerId").GetGuid());
        await Expect.Problem(await s.As(provider, "provider").PostAsJsonAsync($"/rights/access/requests/{order}/refuse", new { reason = "x" }), HttpStatusCode.Conflict);

        var refusedOrder = (await DecideAsync(buyer, product)).Body.GetProperty("orderId").GetGuid();
        await Expect.ValidationProblem(await s.As(provider, "provider").PostAsJsonAsync($"/rights/access/requests/{refusedOrder}/refuse", new { }), "reason");
        await Expect.Status(await s.As(provider, "provider").PostAsJsonAsync($"/rights/access/requests/{refusedOrder}/refuse", new { reason = "用途与授权范围不符" }), HttpStatusCode.OK);
        Assert.Equal("provider-refused", (await BodyAsync(typeof(AccessRejected), refusedOrder)).GetProperty("reason").GetString());

        var lapsing = (await DecideAsync(buyer, product)).Body.GetProperty("orderId").GetGuid();
        s.Time.Advance(TimeSpan.FromHours(72));

        // Past the deadline and before the clock's sweep, neither approval nor refusal is taken: the request has lapsed.
        var unswept = await Expect.Problem(
            await s.As(provider, "provider").PostAsJsonAsync($"/rights/access/requests/{lapsing}/refuse", new { reason = "太晚" }), HttpStatusCode.Conflict);
        Assert.Equal("Lapsed", unswept.GetProperty("currentState").GetString());
        Assert.Equal(1, (await s.Clock().TickAsync(CancellationToken.None)).ApprovalsLapsed);
        Assert.Equal("provider-approval-lapsed", (await BodyAsync(typeof(AccessRejected), lapsing)).GetProperty("reason").GetString());
        var late = await Expect.Problem(await s.As(provider, "provider").PostAsync($"/rights/access/requests/{lapsing}/approve", null), HttpStatusCode.Conflict);
        Assert.Contains("Lapsed", late.GetProperty("detail").GetString());

        // One state, one name: the list says lapsed too, and filters by it.
        var lapsed = (await s.As(provider, "provider").GetFromJsonAsync<Page<AccessRequest>>("/rights/access/requests?status=lapsed", EmbeddedMarketplace.Json))!.Items;
        Assert.Equal((lapsing, AccessRequestStatus.Lapsed), (Assert.Single(lapsed).OrderId, lapsed[0].Status));
        Assert.DoesNotContain(
            (await s.As(provider, "provider").GetFromJsonAsync<Page<AccessRequest>>("/rights/access/requests?status=rejected", EmbeddedMarketplace.Json))!.Items,
            r => r.OrderId == lapsing);
    }

    [Fact]
    public async Task The_explanation_lists_every_rule_for_the_buyer_itself_or_an_operator()
    {
        var provider = await s.ParticipantAsync();
        var product = await s.ProductAsync(provider, DataGrade.Important, manual: true);
        await s.CertifiedAsync(provider, product);
        var buyer = await s.ParticipantAsync(ParticipantRoles.Buyer);

        var mine = (await s.As(buyer, "buyer").GetFromJsonAsync<Explanation>($"/rights/access/explain?productId={product}", EmbeddedMarketplace.Json))!;
        Assert.Equal(("rejected", "qualification-insufficient"), (mine.Decision, mine.Reason));
        Assert.Equal(
            ["product-listed", "seller-operating-right", "buyer-admitted", "buyer-active", "qualification", "no-exclusive-licence", "no-exclusive-order", "cross-border", "provider-approval"],
            mine.Rules.Select(r => r.Rule));
        Assert.Equal(["pass", "pass", "pass", "pass", "fail", "pass", "pass", "not-applicable", "required"], mine.Rules.Select(r => r.Outcome));
        // Each rule speaks in the words of its outcome: a passing rule never carries its failure's wording.
        Assert.Equal(
            ["The buyer is an admitted buyer.", "The buyer is active.", "No exclusive licence on the product is in force."],
            mine.Rules.Where(r => r.Rule is "buyer-admitted" or "buyer-active" or "no-exclusive-licence").Select(r => r.Message));

        var qualified = await s.ParticipantAsync(ParticipantRoles.Buyer, qualification: QualificationLevel.Qualified);
        var theirs = (await s.M.Operator().GetFromJsonAsync<Explanation>($"/rights/access/explain?buyerId={qualified}&productId={product}&exclusive=true", EmbeddedMarketplace.Json))!;
        Assert.Equal("awaiting-provider", theirs.Decision);
        Assert.Contains(theirs.Rules, r => r.Rule == "no-live-licence" && r.Outcome == "pass" && r.Message == "No other licence on the product is in force.");
        Assert.Contains(theirs.Rules, r => r.Rule == "seller-operating-right" && r.Message.StartsWith("The seller holds", StringComparison.Ordinal));
        Assert.Equal(provider, Assert.Single(theirs.Holders!).HolderId);

        await Expect.Problem(await s.As(buyer, "buyer").GetAsync($"/rights/access/explain?buyerId={qualified}&productId={product}"), HttpStatusCode.Forbidden);
        await Expect.ValidationProblem(await s.As(buyer, "buyer").GetAsync("/rights/access/explain"), "productId");
        await Expect.Problem(await s.M.Anonymous().GetAsync($"/rights/access/explain?productId={product}"), HttpStatusCode.Unauthorized);
        await Expect.Problem(await s.As(buyer, "buyer").PostAsJsonAsync($"/rights/products/{product}/security-assessments", new { reference = "x", validUntil = s.Time.GetUtcNow() }), HttpStatusCode.Forbidden);
        await Expect.ValidationProblem(await s.M.Operator().PostAsJsonAsync($"/rights/products/{product}/security-assessments", new { reference = "" }), "reference", "validUntil");
        await Expect.Problem(await s.M.Operator().PostAsJsonAsync($"/rights/products/{Guid.NewGuid()}/security-assessments", new { reference = "x", validUntil = s.Time.GetUtcNow() }), HttpStatusCode.NotFound);
        await Expect.Problem(await s.As(buyer, "buyer").GetAsync($"/rights/products/{product}/security-assessments"), HttpStatusCode.NotFound);
        await Expect.Status(await s.As(provider, "provider").GetAsync($"/rights/products/{product}/security-assessments"), HttpStatusCode.OK);
    }

    private sealed record Decision(string Type, JsonElement Body);
}
