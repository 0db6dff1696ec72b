using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.BuildingBlocks.Hosting;
using Marketplace.Demo;
using Marketplace.Pricing;
using Marketplace.Pricing.Quotes;
using Marketplace.Rights;
using Marketplace.Rights.Registrations;
using Marketplace.Settlement;
using Marketplace.Settlement.Orders;
using Marketplace.Tests.Catalog;
using Marketplace.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Marketplace.Tests.Trades;

/// <summary>
/// The whole marketplace in one process on a fake clock, driven as its users would over HTTP: a provider lists a
/// product, registers its rights (certified when the notice runs out) and prices it; a buyer deposits and orders.
/// The time-driven loops are left out so each test decides when time passes and the clocks tick.
/// </summary>
public sealed class TradeSteps : IAsyncDisposable
{
    public const long Price = 100_001;

    private TradeSteps(EmbeddedMarketplace m, FakeTimeProvider time)
    {
        M = m;
        Time = time;
    }

    /// <summary>The project's own API client — the demo's and the load driver's — on this host: one way to drive a trade.</summary>
    private MarketplaceClient Api => field ??= new MarketplaceClient(M.CreateClient());

    public EmbeddedMarketplace M { get; }

    public FakeTimeProvider Time { get; }

    /// <param name="settings">Settings over the defaults.</param>
    /// <param name="withoutOutboxLoopFor">Services whose outbox is not dispatched (e.g. settlement's: orders stay Requested).</param>
    public static TradeSteps NewHost(IDictionary<string, string?>? settings = null, params Type[] withoutOutboxLoopFor)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        // Steps place orders as fast as the host answers (the race tests, thousands of rounds): not what the per-buyer
        // order rate limit is about, which has tests of its own.
        var merged = new Dictionary<string, string?> { ["Settlement:Orders:RequestsPerSecond"] = "100000" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        var m = new EmbeddedMarketplace(merged, time, withoutOutboxLoopFor)
        {
            WithoutHostedServices = [typeof(PeriodicWorkLoop<RightsClock>), typeof(PeriodicWorkLoop<QuoteExpiry>), typeof(PeriodicWorkLoop<ProceedsRelease>)],
        };
        return new TradeSteps(m, time);
    }

    public HttpClient As(Guid id, params string[] roles) => M.ClientAs(id, roles);

    /// <summary>A listed product whose provider's rights are certified (with the co-holders given) and a one-off plan on it.</summary>
    public Task<ForSale> ProductForSaleAsync(bool manualApproval = false, bool certify = true, params (Guid Holder, int Bps)[] coHolders) =>
        ListAsync(manualApproval, certify, new string('a', 64), ProductSteps.Content(), coHolders);

    /// <summary>A product for sale like <see cref="ProductForSaleAsync"/>, listed and registered with <paramref name="manifest"/> as its data's fingerprint.</summary>
    public Task<ForSale> ProductWithManifestAsync(string manifest, string grade = "general", string[]? delivery = null) =>
        ListAsync(false, true, manifest, ProductSteps.Content(grade: grade, delivery: delivery), []);

    private async Task<ForSale> ListAsync(bool manualApproval, bool certify, string manifest, object listing, (Guid Holder, int Bps)[] coHolders)
    {
        var products = await ProductSteps.ForNewProviderAsync(M);
        var content = JsonSerializer.SerializeToNode(listing)!.AsObject();
        content["requiresManualApproval"] = manualApproval;
        content["manifestSha256"] = manifest;
        var product = await products.CreateAsync(content);
        foreach (var step in new[] { "submit", "review", "approve" })
        {
            await products.DoAsync(product.Id, step);
        }

        var provider = product.OwnerId;
        await Eventually.True(async () =>
            await M.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.products WHERE id = @Id", new { product.Id }) == 1
            && await M.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.products WHERE id = @Id", new { product.Id }) == 1
            && await M.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.products WHERE id = @Id", new { product.Id }) == 1,
            what: "every service learning of the listing");
        if (certify)
        {
            var share = 10_000 - coHolders.Sum(h => h.Bps);
            var registration = await As(provider, "provider").PostAsJsonAsync("/rights/registrations", new
            {
                productId = product.Id,
                rights = new[] { "holding", "processing", "operating" },
                holders = new[] { (provider, share) }.Concat(coHolders).Select(h => new { holderId = h.Item1, shareBps = h.Item2 }),
                manifestSha256 = manifest,
                sourceDescription = "合作城市交通管理部门授权采集",
                lawfulBasis = "依据数据共享协议取得",
            });
            await Expect.Status(registration, HttpStatusCode.Created);
            var id = (await registration.Content.ReadFromJsonAsync<RegistrationResponse>(EmbeddedMarketplace.Json))!.Id;
            foreach (var stage in new[] { "formal", "substantive" })
            {
                await Expect.Status(await M.Operator().PostAsJsonAsync($"/rights/registrations/{id}/{stage}-review", new { decision = "pass" }), HttpStatusCode.OK);
            }

            var notice = (await M.Operator().GetFromJsonAsync<RegistrationResponse>($"/rights/registrations/{id}", EmbeddedMarketplace.Json))!.NoticeEndsAt!.Value;
            if (Time.GetUtcNow() < notice)
            {
                Time.SetUtcNow(notice);
            }

            await M.Get<RightsClock>().TickAsync(CancellationToken.None);
        }

        var plan = await As(provider, "provider").PostAsJsonAsync($"/pricing/products/{product.Id}/plans", new { kind = "oneOff", name = "年度授权", price = Price, termDays = 365 });
        await Expect.Status(plan, HttpStatusCode.Created);
        var planId = (await plan.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return new ForSale(provider, product.Id, planId);
    }

    /// <summary>A buyer known to every service, with <paramref name="deposit"/> fen available.</summary>
    public async Task<Guid> BuyerAsync(long deposit = 1_000_000)
    {
        var buyer = (await M.AdmitAsync(["buyer"])).Id;
        await Eventually.True(async () =>
            await M.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.participants WHERE id = @buyer", new { buyer }) == 1
            && await M.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.participants WHERE id = @buyer", new { buyer }) == 1
            && await M.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.accounts WHERE owner_id = @buyer", new { buyer }) == 3,
            what: "every service learning of the buyer");
        if (deposit > 0)
        {
            await M.DepositAsync(buyer, deposit);
        }

        return buyer;
    }

    /// <summary>The buyer's order request for the sale, as sent: the answer whatever it is (optionally under an <c>Idempotency-Key</c>).</summary>
    public Task<HttpResponseMessage> PlaceAsync(Guid buyer, ForSale sale, string? idempotencyKey = null, bool exclusive = false, long quantity = 1)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/settlement/orders")
        {
            Content = JsonContent.Create(new { productId = sale.ProductId, planId = sale.PlanId, quantity, purpose = "城市交通规划研究", exclusive }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return As(buyer, "buyer").SendAsync(request);
    }

    public async Task<OrderResponse> OrderAsync(Guid buyer, ForSale sale, bool exclusive = false, long quantity = 1)
    {
        var response = await PlaceAsync(buyer, sale, exclusive: exclusive, quantity: quantity);
        await Expect.Status(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<OrderResponse>(EmbeddedMarketplace.Json))!;
    }

    public async Task<OrderResponse> ReadAsync(Guid buyer, Guid order) =>
        (await As(buyer, "buyer").GetFromJsonAsync<OrderWithTimeline>($"/settlement/orders/{order}", EmbeddedMarketplace.Json))!.Order;

    /// <summary>Waits, long-polling as a client does, for the order to reach <paramref name="status"/>; an order that ends otherwise fails the step.</summary>
    public async Task<OrderResponse> StatusAsync(Guid buyer, Guid order, OrderStatus status) =>
        Order(await Api.OrderInAsync(M.Token(buyer, "buyer"), order, JsonNamingPolicy.CamelCase.ConvertName(status.ToString()), CancellationToken.None));

    /// <summary>An order placed and quoted, the demo client's steps.</summary>
    public async Task<OrderResponse> QuotedAsync(Guid buyer, ForSale sale)
    {
        var token = M.Token(buyer, "buyer");
        var placed = await Api.SendTaggedAsync(token, HttpMethod.Post, "/settlement/orders",
            new { productId = sale.ProductId, planId = sale.PlanId, quantity = 1, purpose = "城市交通规划研究", exclusive = false }, HttpStatusCode.Created, CancellationToken.None);
        return Order(await Api.OrderInAsync(token, placed.Body.GetProperty("id").GetGuid(), "quoted", CancellationToken.None, placed));
    }

    /// <summary>An order placed, quoted and accepted — completed at once — and its licence issued by rights.</summary>
    public async Task<OrderResponse> CompletedAsync(Guid buyer, ForSale sale)
    {
        var quoted = await QuotedAsync(buyer, sale);
        var accepted = await Api.SendTaggedAsync(M.Token(buyer, "buyer"), HttpMethod.Post, $"/settlement/orders/{quoted.Id}/accept", null, HttpStatusCode.OK, CancellationToken.None);
        var completed = Order(accepted.Body);
        Assert.Equal(OrderStatus.Completed, completed.Status);
        await LicensedAsync(completed);
        return completed;
    }

    private static OrderResponse Order(JsonElement json) => json.Deserialize<OrderResponse>(EmbeddedMarketplace.Json)!;

    /// <summary>Waits for rights to issue the licence a completed order names.</summary>
    public Task LicensedAsync(OrderResponse completed) => Eventually.True(
        async () => await M.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.licences WHERE id = @LicenceId", new { completed.LicenceId }) == 1,
        what: $"the licence of order {completed.Id}");

    public ValueTask DisposeAsync() => M.DisposeAsync();
}

public sealed record ForSale(Guid ProviderId, Guid ProductId, Guid PlanId);
