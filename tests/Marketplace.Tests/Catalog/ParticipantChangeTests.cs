using System.Net;
using System.Net.Http.Json;
using Marketplace.Catalog;
using Marketplace.Catalog.Participants;
using Marketplace.Contracts.Catalog;
using Marketplace.Pricing;
using Marketplace.Rights;
using Marketplace.Rights.Participants;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Catalog;

/// <summary>Grading, suspension and reinstatement: transitions, concurrency, history, and the read models.</summary>
public sealed class ParticipantChangeTests(AdmissionTests.Host host) : IClassFixture<AdmissionTests.Host>
{
    private EmbeddedMarketplace M => host.Marketplace;

    private Task<long> HistoryCount(Guid id) =>
        M.CountAsync<CatalogDb>("SELECT COUNT(*) FROM catalog.participant_history WHERE participant_id = @id", new { id });

    [Fact]
    public async Task Suspend_then_reinstate_is_recorded_and_reaches_the_read_models()
    {
        var p = await M.AdmitAsync();

        var suspended = await M.Operator().PostAsJsonAsync($"/catalog/participants/{p.Id}/suspend", new { reason = "逾期未提交年度合规报告" });
        await Expect.Status(suspended, HttpStatusCode.OK);
        var body = (await suspended.Content.ReadFromJsonAsync<ParticipantResponse>(EmbeddedMarketplace.Json))!;
        Assert.Equal(ParticipantStatus.Suspended, body.Status);
        Assert.Equal(2, body.Version);
        Assert.Equal("\"2\"", suspended.Headers.ETag?.Tag);
        await Eventually.True(async () => (await ParticipantDirectory.FindAsync(M.Get<RightsDb>(), p.Id, default))?.Status == "Suspended", what: "rights sees the suspension");

        var again = await M.Operator().PostAsJsonAsync($"/catalog/participants/{p.Id}/suspend", new { reason = "again" });
        var conflict = await Expect.Problem(again, HttpStatusCode.Conflict);
        Assert.Equal("Suspended", conflict.GetProperty("currentState").GetString());

        await Expect.Status(await M.Operator().PostAsync($"/catalog/participants/{p.Id}/reinstate", null), HttpStatusCode.OK);
        await Expect.Problem(await M.Operator().PostAsync($"/catalog/participants/{p.Id}/reinstate", null), HttpStatusCode.Conflict);
        await Eventually.True(
            async () => await M.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.participants WHERE id = @Id AND status = 'Active' AND version = 3", new { p.Id }) == 1,
            what: "pricing sees the reinstatement");

        var history = (await M.Operator().GetFromJsonAsync<List<ParticipantHistoryEntry>>($"/catalog/participants/{p.Id}/history", EmbeddedMarketplace.Json))!;
        Assert.Equal(["admitted", "suspended", "reinstated"], history.Select(h => h.Action));
        Assert.All(history, h => Assert.Equal(M.OperatorId, h.ActorId));

        var own = (await M.ClientAs(p.Id, "buyer").GetFromJsonAsync<List<ParticipantHistoryEntry>>($"/catalog/participants/{p.Id}/history", EmbeddedMarketplace.Json))!;
        Assert.Equal(3, own.Count);
        Assert.All(own, h => Assert.Null(h.ActorId));
    }

    [Fact]
    public async Task Qualification_changes_for_buyers_only_and_is_idempotent()
    {
        var buyer = await M.AdmitAsync(["buyer"]);
        var response = await M.Operator().PutAsJsonAsync($"/catalog/participants/{buyer.Id}/qualification", new { qualification = "qualified" });
        await Expect.Status(response, HttpStatusCode.OK);
        await Eventually.True(
            async () => (await ParticipantDirectory.FindAsync(M.Get<RightsDb>(), buyer.Id, default))?.Qualification == QualificationLevel.Qualified,
            what: "rights sees the new grade");

        var same = await M.Operator().PutAsJsonAsync($"/catalog/participants/{buyer.Id}/qualification", new { qualification = "qualified" });
        var unchanged = (await same.Content.ReadFromJsonAsync<ParticipantResponse>(EmbeddedMarketplace.Json))!;
        Assert.Equal(2, unchanged.Version);
        Assert.Equal(2, await HistoryCount(buyer.Id));

        var provider = await M.AdmitAsync(["provider"]);
        await Expect.Problem(
            await M.Operator().PutAsJsonAsync($"/catalog/participants/{provider.Id}/qualification", new { qualification = "qualified" }),
            HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_stale_if_match_is_412_and_changes_nothing()
    {
        var p = await M.AdmitAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/catalog/participants/{p.Id}/suspend")
        {
            Content = JsonContent.Create(new { reason = "r" }),
        };
        request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"7\""));

        var problem = await Expect.Problem(await M.Operator().SendAsync(request), HttpStatusCode.PreconditionFailed);
        Assert.Equal(1, problem.GetProperty("currentVersion").GetInt32());
        Assert.Equal(1, await HistoryCount(p.Id));

        var matching = new HttpRequestMessage(HttpMethod.Post, $"/catalog/participants/{p.Id}/suspend") { Content = JsonContent.Create(new { reason = "r" }) };
        matching.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));
        await Expect.Status(await M.Operator().SendAsync(matching), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Bad_change_requests_are_400_and_write_nothing()
    {
        var p = await M.AdmitAsync();
        await Expect.ValidationProblem(await M.Operator().PostAsJsonAsync($"/catalog/participants/{p.Id}/suspend", new { reason = "" }), "reason");
        await Expect.ValidationProblem(await M.Operator().PostAsJsonAsync($"/catalog/participants/{p.Id}/suspend", new { reason = new string('r', 501) }), "reason");
        await Expect.ValidationProblem(await M.Operator().PutAsJsonAsync($"/catalog/participants/{p.Id}/qualification", new { }), "qualification");
        await Expect.ValidationProblem(await M.Operator().PutAsJsonAsync($"/catalog/participants/{p.Id}/qualification", new { qualification = "elite" }), "qualification");
        Assert.Equal(1, await HistoryCount(p.Id));
    }

    [Fact]
    public async Task Changes_need_an_operator_and_an_existing_participant()
    {
        var p = await M.AdmitAsync();
        var self = M.ClientAs(p.Id, "provider", "buyer");
        await Expect.Problem(await self.PostAsJsonAsync($"/catalog/participants/{p.Id}/suspend", new { reason = "r" }), HttpStatusCode.Forbidden);
        await Expect.Problem(await self.PostAsync($"/catalog/participants/{p.Id}/reinstate", null), HttpStatusCode.Forbidden);
        await Expect.Problem(await self.PutAsJsonAsync($"/catalog/participants/{p.Id}/qualification", new { qualification = "qualified" }), HttpStatusCode.Forbidden);
        await Expect.Problem(await M.Anonymous().PostAsJsonAsync($"/catalog/participants/{p.Id}/suspend", new { reason = "r" }), HttpStatusCode.Unauthorized);
        await Expect.Problem(await M.Anonymous().PostAsync($"/catalog/participants/{p.Id}/reinstate", null), HttpStatusCode.Unauthorized);
        await Expect.Problem(await M.Anonymous().PutAsJsonAsync($"/catalog/participants/{p.Id}/qualification", new { qualification = "qualified" }), HttpStatusCode.Unauthorized);

        var missing = Guid.NewGuid();
        await Expect.Problem(await M.Operator().PostAsJsonAsync($"/catalog/participants/{missing}/suspend", new { reason = "r" }), HttpStatusCode.NotFound);
        await Expect.Problem(await M.Operator().PostAsync($"/catalog/participants/{missing}/reinstate", null), HttpStatusCode.NotFound);
        await Expect.Problem(await M.Operator().PutAsJsonAsync($"/catalog/participants/{missing}/qualification", new { qualification = "qualified" }), HttpStatusCode.NotFound);
        Assert.Equal(1, await HistoryCount(p.Id));
    }
}
