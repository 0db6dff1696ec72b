using System.Net;
using System.Net.Http.Json;
using Marketplace.Catalog;
using Marketplace.Catalog.Products;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Catalog;

/// <summary>Data products from draft to delisting: every transition, legal or not, revisions, review decisions, events.</summary>
public sealed class ProductLifecycleTests(AdmissionTests.Host host) : IClassFixture<AdmissionTests.Host>
{
    private EmbeddedMarketplace M => host.Marketplace;

    private Task<long> Outbox(string type, Guid id) => M.CountAsync<CatalogDb>(
        "SELECT COUNT(*) FROM catalog.outbox WHERE message_type = @type AND body LIKE @id", new { type = "Marketplace.Contracts.Catalog." + type, id = $"%{id}%" });

    [Fact]
    public async Task A_product_goes_from_draft_to_listed_and_a_revision_is_reviewed_while_the_listing_stays_visible()
    {
        var steps = await ProductSteps.ForNewProviderAsync(M);
        var buyer = M.ClientAs((await M.AdmitAsync(["buyer"])).Id, "buyer");
        var product = await steps.CreateAsync();
        Assert.Equal(("Draft", 1, (int?)null), (product.Status, product.PendingRevision!.Value, product.ListedRevision));
        await Expect.Problem(await buyer.GetAsync($"/catalog/products/{product.Id}"), HttpStatusCode.NotFound);

        foreach (var action in new[] { "edit", "submit", "review", "approve" })
        {
            product = await steps.DoAsync(product.Id, action);
        }

        Assert.Equal(("Listed", 1), (product.Status, product.ListedRevision!.Value));
        Assert.Equal(1, await Outbox("ProductListed", product.Id));
        var seen = (await buyer.GetFromJsonAsync<ProductResponse>($"/catalog/products/{product.Id}", EmbeddedMarketplace.Json))!;
        Assert.Equal("修订后的交通流量数据", seen.Listed!.Title);
        Assert.Null(seen.Pending);

        product = await steps.DoAsync(product.Id, "edit", ProductSteps.Content("第二版：含2026年数据"));
        Assert.Equal(("Listed", 2, RevisionState.Draft), (product.Status, product.PendingRevision!.Value, product.PendingState!.Value));
        foreach (var action in new[] { "submit", "review" })
        {
            product = await steps.DoAsync(product.Id, action);
        }

        seen = (await buyer.GetFromJsonAsync<ProductResponse>($"/catalog/products/{product.Id}", EmbeddedMarketplace.Json))!;
        Assert.Equal(("修订后的交通流量数据", 1), (seen.Listed!.Title, seen.ListedRevision!.Value));

        product = await steps.DoAsync(product.Id, "approve");
        Assert.Equal((2, (int?)null), (product.ListedRevision!.Value, product.PendingRevision));
        Assert.Equal(1, await Outbox("ProductRevised", product.Id));
        seen = (await buyer.GetFromJsonAsync<ProductResponse>($"/catalog/products/{product.Id}", EmbeddedMarketplace.Json))!;
        Assert.Equal("第二版：含2026年数据", seen.Listed!.Title);

        await steps.DoAsync(product.Id, "suspend");
        Assert.Equal(1, await Outbox("ProductSuspended", product.Id));
        await Expect.Problem(await buyer.GetAsync($"/catalog/products/{product.Id}"), HttpStatusCode.NotFound);
        await steps.DoAsync(product.Id, "reinstate");
        await steps.DoAsync(product.Id, "delist");
        Assert.Equal(1, await Outbox("ProductDelisted", product.Id));

        var history = (await steps.Provider.GetFromJsonAsync<List<ProductHistoryEntry>>($"/catalog/products/{product.Id}/history", EmbeddedMarketplace.Json))!;
        Assert.Equal(
            ["created", "edited", "submitted", "review-started", "listed", "revision-started", "submitted", "review-started", "revision-approved", "suspended", "reinstated", "delisted"],
            history.Select(h => h.Action));
    }

    public static TheoryData<string, string, bool> Transitions()
    {
        var legal = new Dictionary<string, string[]>
        {
            ["Draft"] = ["edit", "submit"],
            ["Submitted"] = ["review"],
            ["UnderReview"] = ["approve", "reject"],
            ["Listed"] = ["edit", "suspend", "delist"],
            ["Suspended"] = ["edit", "reinstate", "delist"],
            ["Delisted"] = [],
        };
        var data = new TheoryData<string, string, bool>();
        foreach (var (state, allowed) in legal)
        {
            foreach (var action in new[] { "edit", "submit", "review", "approve", "reject", "suspend", "reinstate", "delist" })
            {
                data.Add(state, action, allowed.Contains(action));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public async Task Every_transition_is_checked_and_an_illegal_one_is_409_naming_the_state(string state, string action, bool legal)
    {
        var steps = await ProductSteps.ForNewProviderAsync(M);
        var product = await steps.InStateAsync(state);

        var response = await steps.Act(product.Id, action);

        if (legal)
        {
            await Expect.Status(response, HttpStatusCode.OK);
        }
        else
        {
            var problem = await Expect.Problem(response, HttpStatusCode.Conflict);
            Assert.Contains(problem.GetProperty("currentState").GetString(), new[] { state, product.PendingState?.ToString() });
            var after = (await steps.Provider.GetFromJsonAsync<ProductResponse>($"/catalog/products/{product.Id}", EmbeddedMarketplace.Json))!;
            Assert.Equal(product.Version, after.Version);
        }
    }

    [Fact]
    public async Task Search_shows_a_product_while_it_is_listed_and_its_current_revision()
    {
        var steps = await ProductSteps.ForNewProviderAsync(M);
        var buyer = M.ClientAs(Guid.NewGuid(), "buyer");
        async Task<List<string>> Titles(string q) =>
            [.. (await buyer.GetFromJsonAsync<Marketplace.BuildingBlocks.Http.Page<Marketplace.Catalog.Search.SearchHit>>(
                "/catalog/search?q=" + Uri.EscapeDataString(q), EmbeddedMarketplace.Json))!.Items.Select(h => h.Title)];

        var product = await steps.CreateAsync(ProductSteps.Content("麒麟湾水文监测数据"));
        Assert.Empty(await Titles("麒麟湾"));
        foreach (var action in new[] { "submit", "review", "approve" })
        {
            await steps.DoAsync(product.Id, action);
        }

        Assert.Equal(["麒麟湾水文监测数据"], await Titles("麒麟湾"));
        foreach (var action in new[] { "edit", "submit", "review", "approve" })
        {
            await steps.DoAsync(product.Id, action, action == "edit" ? ProductSteps.Content("麒麟湾水文监测数据（第二版）") : null);
        }

        Assert.Equal(["麒麟湾水文监测数据（第二版）"], await Titles("麒麟湾"));
        await steps.DoAsync(product.Id, "suspend");
        Assert.Empty(await Titles("麒麟湾"));
        await steps.DoAsync(product.Id, "reinstate");
        Assert.Single(await Titles("水文监测"));
        await steps.DoAsync(product.Id, "delist");
        Assert.Empty(await Titles("麒麟湾"));
    }

    [Fact]
    public async Task A_rejection_returns_the_draft_with_reasons_item_by_item()
    {
        var steps = await ProductSteps.ForNewProviderAsync(M);
        var product = await steps.InStateAsync("UnderReview");

        await Expect.Problem(await steps.Act(product.Id, "approve", ProductSteps.OneFailed), HttpStatusCode.Conflict);
        await Expect.Problem(await steps.Act(product.Id, "reject", ProductSteps.AllPassed), HttpStatusCode.Conflict);
        product = await steps.DoAsync(product.Id, "reject");
        Assert.Equal("Draft", product.Status);
        Assert.Equal((false, "分级与样本内容不符"), (product.PendingReview!.Classification!.Passed!.Value, product.PendingReview.Classification.Reason));

        // Readable wherever the rejection is: the product as its owner reads it, and its history (no empty items).
        var read = (await steps.Provider.GetFromJsonAsync<ProductResponse>($"/catalog/products/{product.Id}", EmbeddedMarketplace.Json))!;
        Assert.Equal("分级与样本内容不符", read.PendingReview!.Classification!.Reason);
        var history = (await steps.Provider.GetFromJsonAsync<List<ProductHistoryEntry>>($"/catalog/products/{product.Id}/history", EmbeddedMarketplace.Json))!;
        var rejection = history.Single(h => h.Action == "rejected");
        Assert.Contains("分级与样本内容不符", rejection.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("{}", rejection.Detail, StringComparison.Ordinal);
        Assert.Equal(M.OperatorId, rejection.ActorId);
        await steps.DoAsync(product.Id, "edit");
        Assert.NotNull((await steps.Provider.GetFromJsonAsync<ProductResponse>($"/catalog/products/{product.Id}", EmbeddedMarketplace.Json))!.PendingReview);
        var resubmitted = await steps.DoAsync(product.Id, "submit");
        Assert.Null(resubmitted.PendingReview);
    }

    [Theory]
    [InlineData("{\"checklist\":null}", "checklist")]
    [InlineData("{\"checklist\":{\"sourceLegality\":{\"passed\":true}}}", "checklist.classification")]
    [InlineData("{\"checklist\":{\"sourceLegality\":{\"passed\":false},\"classification\":{\"passed\":true},\"personalInformation\":{\"passed\":true},\"descriptionAccuracy\":{\"passed\":true},\"deliveryMethod\":{\"passed\":true}}}", "checklist.sourceLegality.reason")]
    public async Task A_review_decision_needs_the_whole_checklist(string body, string field)
    {
        var steps = await ProductSteps.ForNewProviderAsync(M);
        var product = await steps.InStateAsync("UnderReview");
        var response = await M.Operator().PostAsync(
            $"/catalog/products/{product.Id}/reject", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await Expect.ValidationProblem(response, field);
    }

    [Fact]
    public async Task Concurrent_edits_of_a_listed_product_start_one_revision_and_the_rest_are_refused_cleanly()
    {
        var steps = await ProductSteps.ForNewProviderAsync(M);
        var product = await steps.InStateAsync("Listed");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            steps.Act(product.Id, "edit", ProductSteps.Content($"并发修订 {i}"))));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.PreconditionFailed }));
        Assert.Equal(2, await M.CountAsync<CatalogDb>("SELECT COUNT(*) FROM catalog.product_revisions WHERE product_id = @Id", new { product.Id }));
        var after = (await steps.Provider.GetFromJsonAsync<ProductResponse>($"/catalog/products/{product.Id}", EmbeddedMarketplace.Json))!;
        Assert.Equal((1, 2), (after.ListedRevision!.Value, after.PendingRevision!.Value));
    }

    [Fact]
    public async Task A_stale_if_match_is_412()
    {
        var steps = await ProductSteps.ForNewProviderAsync(M);
        var product = await steps.CreateAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/catalog/products/{product.Id}/submit");
        request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"9\""));
        await Expect.Problem(await steps.Provider.SendAsync(request), HttpStatusCode.PreconditionFailed);
    }
}
