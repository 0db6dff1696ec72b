using System.Net;
using Marketplace.Demo;

namespace Marketplace.LoadDriver;

/// <summary>
/// Makes the market the load runs in, through the API: providers with listed products whose operating rights are
/// certified (the development clock is moved past the public notice once) and priced with a one-off plan, and buyers
/// with more than enough funds.
/// </summary>
public static class Setup
{
    public const long Price = 10_000;

    public sealed record Seller(Guid ProductId, Guid PlanId);

    /// <summary>What each buyer deposits before the load, in fen.</summary>
    public const long BuyerDeposit = 1_000_000_000_000L;

    public sealed record Buyer(Guid Id, string Token);

    public sealed record Market(string Operator, IReadOnlyList<Seller> Products, IReadOnlyList<Buyer> Buyers);

    public static async Task<Market> PrepareAsync(MarketplaceClient api, DriverOptions options, TextWriter progress, CancellationToken ct)
    {
        progress.WriteLine($"preparing {options.Products} products and {options.Buyers} buyers at {options.Url} …");
        var op = await api.TokenAsync(null, ["operator"], ct);
        var listed = new List<(Guid Provider, string Token, Guid Product, Guid Registration)>();
        for (var i = 0; i < options.Products; i++)
        {
            var provider = await api.AdmitAsync(op, $"负载测试数据商 {i}", ["provider"], null, ct);
            var token = await api.TokenAsync(provider, ["provider"], ct);
            var manifest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray()));
            var product = (await api.SendAsync(token, HttpMethod.Post, "/catalog/products", Content(i, manifest), HttpStatusCode.Created, ct)).GetProperty("id").GetGuid();
            await api.SendAsync(token, HttpMethod.Post, $"/catalog/products/{product}/submit", null, HttpStatusCode.OK, ct);
            await api.SendAsync(op, HttpMethod.Post, $"/catalog/products/{product}/review", null, HttpStatusCode.OK, ct);
            await api.SendAsync(op, HttpMethod.Post, $"/catalog/products/{product}/approve", Checklist, HttpStatusCode.OK, ct);
            var registration = await MarketplaceClient.UntilAsync(() => api.TrySendAsync(token, HttpMethod.Post, "/rights/registrations", new
            {
                productId = product,
                rights = new[] { "holding", "processing", "operating" },
                holders = new[] { new { holderId = provider, shareBps = 10_000 } },
                manifestSha256 = manifest,
                sourceDescription = "负载测试数据来源",
                lawfulBasis = "负载测试",
            }, HttpStatusCode.Created, ct), "rights learning of the listing", ct);
            var id = registration.GetProperty("id").GetGuid();
            await api.SendAsync(op, HttpMethod.Post, $"/rights/registrations/{id}/formal-review", new { decision = "pass" }, HttpStatusCode.OK, ct);
            await api.SendAsync(op, HttpMethod.Post, $"/rights/registrations/{id}/substantive-review", new { decision = "pass" }, HttpStatusCode.OK, ct);
            listed.Add((provider, token, product, id));
        }

        await api.SendAsync(op, HttpMethod.Post, "/rights/dev/clock", new { advanceBy = "30.00:00:00" }, HttpStatusCode.OK, ct);
        var sellers = new List<Seller>();
        foreach (var (_, token, product, registration) in listed)
        {
            await MarketplaceClient.UntilAsync(async () =>
            {
                var r = await api.SendAsync(op, HttpMethod.Get, $"/rights/registrations/{registration}", null, HttpStatusCode.OK, ct);
                return r.GetProperty("status").GetString() == "certified" ? r : null;
            }, "the certificate", ct);
            var plan = await MarketplaceClient.UntilAsync(() => api.TrySendAsync(token, HttpMethod.Post, $"/pricing/products/{product}/plans",
                new { kind = "oneOff", name = "负载测试许可", price = Price, termDays = 365 }, HttpStatusCode.Created, ct), "pricing learning of the listing", ct);
            sellers.Add(new Seller(product, plan.GetProperty("id").GetGuid()));
        }

        var buyers = new List<Buyer>();
        for (var i = 0; i < options.Buyers; i++)
        {
            var buyer = await api.AdmitAsync(op, $"负载测试买方 {i}", ["buyer"], "basic", ct);
            await api.SendAsync(op, HttpMethod.Post, "/settlement/deposits",
                new { participantId = buyer, amount = BuyerDeposit, currency = "CNY", bankReference = "LOAD-" + Guid.NewGuid().ToString("N") }, HttpStatusCode.Created, ct);
            buyers.Add(new Buyer(buyer, await api.TokenAsync(buyer, ["buyer"], ct)));
        }

        // Settlement must know the products before the first order.
        foreach (var seller in sellers)
        {
            await MarketplaceClient.UntilAsync(() => api.TrySendAsync(op, HttpMethod.Get, $"/pricing/products/{seller.ProductId}/plans", null, HttpStatusCode.OK, ct), "the plans", ct);
        }

        return new Market(op, sellers, buyers);
    }

    private static readonly object Checklist = new
    {
        checklist = new
        {
            sourceLegality = new { passed = true }, classification = new { passed = true }, personalInformation = new { passed = true },
            descriptionAccuracy = new { passed = true }, deliveryMethod = new { passed = true },
        },
    };

    private static object Content(int i, string manifest) => new
    {
        title = $"负载测试数据产品 {i}",
        description = "用于负载测试的数据产品。",
        category = "G",
        tags = new[] { "负载" },
        subject = "enterprise",
        grade = "general",
        source = "测试",
        legalityStatement = "测试数据。",
        coverage = new { from = "2020-01-01", to = "2026-10-31", regions = new[] { "310000" } },
        updateFrequency = "daily",
        schema = new[] { new { name = "value", type = "integer", description = "值" } },
        manifestSha256 = manifest,
        deliveryMethods = new[] { "api" },
        requiresManualApproval = false,
        exclusiveAllowed = false,
    };
}
