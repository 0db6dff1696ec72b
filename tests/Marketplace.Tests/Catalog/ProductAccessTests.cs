using System.Net;
using System.Net.Http.Json;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Catalog.Products;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Catalog;

/// <summary>Who sees and changes which product: the owner all of its own, buyers listed ones only, operators review.</summary>
public sealed class ProductAccessTests(AdmissionTests.Host host) : IClassFixture<AdmissionTests.Host>
{
    private EmbeddedMarketplace M => host.Marketplace;

    [Fact]
    public async Task Another_provider_neither_sees_nor_changes_a_draft()
    {
        var a = await ProductSteps.ForNewProviderAsync(M);
        var b = await ProductSteps.ForNewProviderAsync(M);
        var product = await a.CreateAsync();

        await Expect.Problem(await b.Provider.GetAsync($"/catalog/products/{product.Id}"), HttpStatusCode.NotFound);
        await Expect.Problem(await b.Provider.GetAsync($"/catalog/products/{product.Id}/history"), HttpStatusCode.NotFound);
        await Expect.Problem(await b.Provider.PutAsJsonAsync($"/catalog/products/{product.Id}/draft", ProductSteps.Content("hijacked")), HttpStatusCode.NotFound);
        await Expect.Problem(await b.Provider.PostAsync($"/catalog/products/{product.Id}/submit", null), HttpStatusCode.NotFound);
        var mine = (await b.Provider.GetFromJsonAsync<Page<ProductResponse>>("/catalog/products?scope=mine", EmbeddedMarketplace.Json))!;
        Assert.DoesNotContain(mine.Items, p => p.Id == product.Id);

        var still = (await a.Provider.GetFromJsonAsync<ProductResponse>($"/catalog/products/{product.Id}", EmbeddedMarketplace.Json))!;
        Assert.Equal(1, still.Version);
    }

    [Fact]
    public async Task Buyers_see_listed_products_only()
    {
        var steps = await ProductSteps.ForNewProviderAsync(M);
        var listed = await steps.InStateAsync("Listed");
        var draft = await steps.CreateAsync();
        var buyer = M.ClientAs((await M.AdmitAsync(["buyer"])).Id, "buyer");

        await Expect.Problem(await buyer.GetAsync($"/catalog/products/{draft.Id}"), HttpStatusCode.NotFound);
        var page = (await buyer.GetFromJsonAsync<Page<ProductResponse>>($"/catalog/products?owner={listed.OwnerId}&status=draft", EmbeddedMarketplace.Json))!;
        Assert.Equal([listed.Id], page.Items.Select(p => p.Id));
        Assert.All(page.Items, p => Assert.Null(p.Pending));
    }

    [Fact]
    public async Task Only_active_providers_create_and_only_operators_review()
    {
        var buyer = M.ClientAs((await M.AdmitAsync(["buyer"])).Id, "buyer");
        await Expect.Problem(await buyer.PostAsJsonAsync("/catalog/products", ProductSteps.Content()), HttpStatusCode.Forbidden);
        await Expect.Problem(await M.ClientAs(Guid.NewGuid(), "provider").PostAsJsonAsync("/catalog/products", ProductSteps.Content()), HttpStatusCode.Forbidden);
        await Expect.Problem(await M.Anonymous().PostAsJsonAsync("/catalog/products", ProductSteps.Content()), HttpStatusCode.Unauthorized);

        var steps = await ProductSteps.ForNewProviderAsync(M);
        var submitted = await steps.InStateAsync("Submitted");
        await Expect.Problem(await steps.Provider.PostAsync($"/catalog/products/{submitted.Id}/review", null), HttpStatusCode.Forbidden);
        await Expect.Problem(await steps.Provider.PostAsJsonAsync($"/catalog/products/{submitted.Id}/approve", ProductSteps.AllPassed), HttpStatusCode.Forbidden);
        await Expect.Problem(await steps.Provider.PostAsJsonAsync($"/catalog/products/{submitted.Id}/suspend", new { reason = "x" }), HttpStatusCode.Forbidden);
        await Expect.Problem(await M.Operator().PutAsJsonAsync($"/catalog/products/{submitted.Id}/draft", ProductSteps.Content()), HttpStatusCode.Forbidden);

        var queue = (await M.Operator().GetFromJsonAsync<Page<ProductResponse>>("/catalog/products?status=submitted&limit=100", EmbeddedMarketplace.Json))!;
        Assert.Contains(queue.Items, p => p.Id == submitted.Id);
        Assert.All(queue.Items, p => Assert.Equal("Submitted", p.Status));
    }

    [Fact]
    public async Task A_suspended_provider_cannot_start_a_product()
    {
        var steps = await ProductSteps.ForNewProviderAsync(M);
        var provider = (await steps.CreateAsync()).OwnerId;
        await Expect.Status(await M.Operator().PostAsJsonAsync($"/catalog/participants/{provider}/suspend", new { reason = "年检未通过" }), HttpStatusCode.OK);
        await Expect.Problem(await steps.Provider.PostAsJsonAsync("/catalog/products", ProductSteps.Content()), HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("scope=everything", "scope")]
    [InlineData("status=unlisted", "status")]
    [InlineData("limit=101", "limit")]
    [InlineData("after=%%%", "after")]
    public async Task Bad_list_query_is_400(string query, string field)
    {
        await Expect.ValidationProblem(await M.Operator().GetAsync($"/catalog/products?{query}"), field);
    }
}
