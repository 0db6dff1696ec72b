using System.Net;
using System.Net.Http.Json;
using Marketplace.Catalog;
using Marketplace.Catalog.Products;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Catalog;

/// <summary>What a product must say (every field's form) and whether it may be traded at all (checked at submission).</summary>
public sealed class ProductRulesTests(AdmissionTests.Host host) : IClassFixture<AdmissionTests.Host>
{
    private EmbeddedMarketplace M => host.Marketplace;

    private Task<long> Products() => M.CountAsync<CatalogDb>("SELECT COUNT(*) FROM catalog.products");

    public static TheoryData<string, object, string> Invalid()
    {
        var data = new TheoryData<string, object, string>();
        void Add(string why, Func<Dictionary<string, object?>, Dictionary<string, object?>> change, string field)
        {
            var json = System.Text.Json.JsonSerializer.Serialize(ProductSteps.Content());
            var content = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(json)!;
            data.Add(why, change(content), field);
        }

        Add("no title", c => { c["title"] = ""; return c; }, "title");
        Add("long title", c => { c["title"] = new string('题', 201); return c; }, "title");
        Add("unknown category", c => { c["category"] = "Z"; return c; }, "category");
        Add("eleven tags", c => { c["tags"] = Enumerable.Range(0, 11).Select(i => $"t{i}").ToArray(); return c; }, "tags");
        Add("no grade", c => { c["grade"] = null; return c; }, "grade");
        Add("no legality statement", c => { c["legalityStatement"] = ""; return c; }, "legalityStatement");
        Add("coverage ends before it starts", c => { c["coverage"] = new { from = "2025-01-01", to = "2024-01-01" }; return c; }, "coverage.to");
        Add("no schema", c => { c["schema"] = Array.Empty<object>(); return c; }, "schema");
        Add("schema left out", c => { c.Remove("schema"); return c; }, "schema");
        Add("schema field without a name", c => { c["schema"] = new[] { new { name = "", type = "string" } }; return c; }, "schema[0].name");
        Add("duplicate field names", c => { c["schema"] = new[] { new { name = "a", type = "string" }, new { name = "A", type = "date" } }; return c; }, "schema");
        Add("fingerprint not sha-256", c => { c["manifestSha256"] = "abc"; return c; }, "manifestSha256");
        Add("no delivery method", c => { c["deliveryMethods"] = Array.Empty<string>(); return c; }, "deliveryMethods");
        Add("delivery methods left out", c => { c.Remove("deliveryMethods"); return c; }, "deliveryMethods");
        Add("no update frequency", c => { c["updateFrequency"] = null; return c; }, "updateFrequency");
        return data;
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Bad_content_is_400_with_field_errors_and_writes_nothing(string why, object content, string field)
    {
        Assert.NotEmpty(why);
        var steps = await ProductSteps.ForNewProviderAsync(M);
        var before = await Products();
        await Expect.ValidationProblem(await steps.Provider.PostAsJsonAsync("/catalog/products", content), field);
        Assert.Equal(before, await Products());

        var product = await steps.CreateAsync();
        await Expect.ValidationProblem(await steps.Provider.PutAsJsonAsync($"/catalog/products/{product.Id}/draft", content), field);
        Assert.Equal(1, (await steps.Provider.GetFromJsonAsync<ProductResponse>($"/catalog/products/{product.Id}", EmbeddedMarketplace.Json))!.Version);
    }

    [Theory]
    [InlineData("core", "enterprise", new[] { "sandbox" }, false, "grade")]
    [InlineData("general", "personal", new[] { "file" }, false, "personalData")]
    [InlineData("important", "enterprise", new[] { "file", "sandbox" }, false, "deliveryMethods")]
    [InlineData("important", "public", new[] { "privacyComputation", "sandbox" }, false, null)]
    [InlineData("general", "personal", new[] { "api" }, true, null)]
    public async Task Submission_refuses_what_may_not_be_traded(string grade, string subject, string[] delivery, bool declared, string? refused)
    {
        var steps = await ProductSteps.ForNewProviderAsync(M);
        var product = await steps.CreateAsync(ProductSteps.Content(
            grade: grade, subject: subject, delivery: delivery,
            personalData: declared ? new { basis = "anonymised", evidence = "经第三方机构去标识化评估，报告编号 2026-001" } : null));

        var response = await steps.Act(product.Id, "submit");

        if (refused is null)
        {
            await Expect.Status(response, HttpStatusCode.OK);
        }
        else
        {
            var problem = await Expect.Problem(response, HttpStatusCode.UnprocessableEntity);
            Assert.True(problem.GetProperty("errors").TryGetProperty(refused, out _), problem.ToString());
        }
    }
}
