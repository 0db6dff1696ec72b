using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Catalog;
using Marketplace.Catalog.Certificates;
using Marketplace.Catalog.Search;
using Marketplace.Contracts.Rights;
using Marketplace.Tests.Support;
using Marketplace.Tests.Trades;

namespace Marketplace.Tests.Catalog;

/// <summary>
/// Catalog learns rights' certificates: a product shows the certificates in force over its data, search finds the
/// certified ones, and a revoked certificate stops certifying.
/// </summary>
public sealed class CertifiedProductTests : IAsyncLifetime
{
    private readonly TradeSteps s = TradeSteps.NewHost();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await s.DisposeAsync();

    private async Task<IReadOnlyList<ProductCertificate>> CertificatesAsync(Guid product, Guid? asWho = null) =>
        (await (asWho is { } who ? s.As(who, "buyer") : s.M.Operator())
            .GetFromJsonAsync<List<ProductCertificate>>($"/catalog/products/{product}/certificates", EmbeddedMarketplace.Json))!;

    private async Task<IReadOnlyList<Guid>> CertifiedAsync(Guid buyer) =>
        [.. (await s.As(buyer, "buyer").GetFromJsonAsync<Page<SearchHit>>("/catalog/search?certified=true&limit=100", EmbeddedMarketplace.Json))!.Items.Select(h => h.ProductId)];

    [Fact]
    public async Task A_product_shows_its_certificates_in_force_and_search_finds_the_certified()
    {
        var certified = await s.ProductForSaleAsync();
        var uncertified = await s.ProductForSaleAsync(certify: false);
        var buyer = await s.BuyerAsync();

        var certificate = Assert.Single(await Eventually.Get(async () => await CertificatesAsync(certified.ProductId, buyer) is { Count: > 0 } c ? c : null));
        Assert.Contains(RightKind.Operating, certificate.Rights);
        var verification = await s.M.Anonymous().GetFromJsonAsync<JsonElement>($"/rights/certificates/{certificate.Number}/verification");
        Assert.True(verification.GetProperty("signatureValid").GetBoolean());
        Assert.Empty(await CertificatesAsync(uncertified.ProductId, buyer));
        var found = await CertifiedAsync(buyer);
        Assert.Contains(certified.ProductId, found);
        Assert.DoesNotContain(uncertified.ProductId, found);
        var notCertified = (await s.As(buyer, "buyer").GetFromJsonAsync<Page<SearchHit>>("/catalog/search?certified=false&limit=100", EmbeddedMarketplace.Json))!.Items;
        Assert.Contains(notCertified, h => h.ProductId == uncertified.ProductId && !h.Certified);

        // Revoked, it certifies no more: the product shows none and search leaves it out.
        await Expect.Status(await s.M.Operator().PostAsJsonAsync($"/rights/certificates/{certificate.Number}/revoke", new { reason = "登记材料虚假" }), HttpStatusCode.OK);
        await Eventually.True(async () => (await CertificatesAsync(certified.ProductId)).Count == 0, what: "the revocation reaching catalog");
        Assert.DoesNotContain(certified.ProductId, await CertifiedAsync(buyer));
        Assert.Equal(1, await s.M.CountAsync<CatalogDb>("SELECT COUNT(*) FROM catalog.certificates WHERE number = @Number AND status = 'Revoked'", new { certificate.Number }));
    }

    [Fact]
    public async Task Only_whoever_may_see_the_product_sees_its_certificates_and_the_filter_is_validated()
    {
        var certified = await s.ProductForSaleAsync();
        var buyer = await s.BuyerAsync();
        await Expect.Problem(await s.As(buyer, "buyer").GetAsync($"/catalog/products/{Guid.NewGuid()}/certificates"), HttpStatusCode.NotFound);
        await Expect.Problem(await s.M.Anonymous().GetAsync($"/catalog/products/{certified.ProductId}/certificates"), HttpStatusCode.Unauthorized);
        await Expect.Problem(await s.As(buyer, "buyer").GetAsync("/catalog/search?certified=perhaps"), HttpStatusCode.BadRequest);

        // A draft is its provider's and the operators' only: to anyone else it does not exist.
        var draft = (await (await s.As(certified.ProviderId, "provider").PostAsJsonAsync("/catalog/products", Catalog.ProductSteps.Content()))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await Expect.Problem(await s.As(buyer, "buyer").GetAsync($"/catalog/products/{draft}/certificates"), HttpStatusCode.NotFound);
        await Expect.Status(await s.As(certified.ProviderId, "provider").GetAsync($"/catalog/products/{draft}/certificates"), HttpStatusCode.OK);
    }
}
