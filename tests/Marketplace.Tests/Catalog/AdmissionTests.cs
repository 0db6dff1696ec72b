using System.Net;
using System.Net.Http.Json;
using Marketplace.Catalog;
using Marketplace.Catalog.Participants;
using Marketplace.Pricing;
using Marketplace.Rights;
using Marketplace.Rights.Participants;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Catalog;

/// <summary>Participant admission through the embedded host: validation, authorization, and the happy path.</summary>
public sealed class AdmissionTests(AdmissionTests.Host host) : IClassFixture<AdmissionTests.Host>
{
    public sealed class Host : IAsyncLifetime
    {
        public EmbeddedMarketplace Marketplace { get; } = new();

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Marketplace.DisposeAsync();
    }

    private EmbeddedMarketplace M => host.Marketplace;

    private Task<long> ParticipantCount() => M.CountAsync<CatalogDb>("SELECT COUNT(*) FROM catalog.participants");

    private Task<long> OutboxCount() => M.CountAsync<CatalogDb>("SELECT COUNT(*) FROM catalog.outbox");

    [Fact]
    public async Task Operator_admits_a_mainland_organisation_and_every_service_learns_of_it()
    {
        var code = Codes.NewCreditCode();
        var response = await M.Operator().PostAsJsonAsync("/catalog/participants", new
        {
            name = "北京数据要素有限公司",
            jurisdiction = "mainland",
            creditCode = code,
            roles = new[] { "provider", "buyer" },
            qualification = "qualified",
        });

        await Expect.Status(response, HttpStatusCode.Created);
        var admitted = (await response.Content.ReadFromJsonAsync<ParticipantResponse>(EmbeddedMarketplace.Json))!;
        Assert.Equal($"/catalog/participants/{admitted.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(code, admitted.CreditCode);
        Assert.Equal(ParticipantStatus.Active, admitted.Status);
        Assert.Equal(1, admitted.Version);

        var rights = await Eventually.Get(() => ParticipantDirectory.FindAsync(M.Get<RightsDb>(), admitted.Id, default), what: "rights' read model");
        Assert.Equal("北京数据要素有限公司", rights.Name);
        Assert.Equal(Contracts.Catalog.QualificationLevel.Qualified, rights.Qualification);
        await Eventually.True(
            async () => await M.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.participants WHERE id = @Id", new { admitted.Id }) == 1,
            what: "pricing's read model");
    }

    [Fact]
    public async Task Outside_organisation_is_admitted_with_region_and_registration_number()
    {
        var number = "HK-" + Guid.NewGuid().ToString("N")[..8];
        var response = await M.Operator().PostAsJsonAsync("/catalog/participants", new
        {
            name = "Harbour Data Ltd",
            jurisdiction = "outside",
            region = "HK",
            registrationNumber = number,
            roles = new[] { "provider" },
        });

        await Expect.Status(response, HttpStatusCode.Created);
        var admitted = (await response.Content.ReadFromJsonAsync<ParticipantResponse>(EmbeddedMarketplace.Json))!;
        Assert.Null(admitted.CreditCode);
        Assert.Equal("HK", admitted.Region);
        Assert.Null(admitted.Qualification);
    }

    public static TheoryData<object, string[]> InvalidAdmissions => new()
    {
        { new { name = "", jurisdiction = "mainland", creditCode = "91440300708461136T", roles = new[] { "provider" } }, ["name"] },
        { new { name = "A", jurisdiction = "mainland", creditCode = "91440300708461136X", roles = new[] { "provider" } }, ["creditCode"] },
        { new { name = "A", jurisdiction = "mainland", roles = new[] { "provider" } }, ["creditCode"] },
        { new { name = "A", jurisdiction = "mainland", creditCode = "91440300708461136T", roles = Array.Empty<string>() }, ["roles"] },
        { new { name = "A", jurisdiction = "mainland", creditCode = "91440300708461136T" }, ["roles"] },
        { new { name = "A", jurisdiction = "mainland", creditCode = "91440300708461136T", roles = new[] { "buyer" } }, ["qualification"] },
        { new { name = "A", jurisdiction = "mainland", creditCode = "91440300708461136T", roles = new[] { "provider" }, qualification = "basic" }, ["qualification"] },
        { new { name = "A", jurisdiction = "outside", region = "CN", registrationNumber = "1", roles = new[] { "provider" } }, ["region"] },
        { new { name = "A", jurisdiction = "outside", creditCode = "91440300708461136T", roles = new[] { "provider" } }, ["creditCode", "region", "registrationNumber"] },
        { new { name = "A", roles = new[] { "provider" } }, ["jurisdiction"] },
        { new { name = "A", jurisdiction = "mars", roles = new[] { "provider" } }, ["jurisdiction"] },
        { new { name = "A", jurisdiction = "mainland", creditCode = "91440300708461136T", roles = new[] { "operator" } }, ["roles[0]"] },
        { new { name = new string('x', 201), jurisdiction = "mainland", creditCode = "91440300708461136T", roles = new[] { "provider" } }, ["name"] },
    };

    [Theory]
    [MemberData(nameof(InvalidAdmissions))]
    public async Task Bad_admission_is_400_with_field_errors_and_writes_nothing(object body, string[] fields)
    {
        var (participants, outbox) = (await ParticipantCount(), await OutboxCount());

        var response = await M.Operator().PostAsJsonAsync("/catalog/participants", body);

        await Expect.ValidationProblem(response, fields);
        Assert.Equal(participants, await ParticipantCount());
        Assert.Equal(outbox, await OutboxCount());
    }

    [Fact]
    public async Task Malformed_json_is_400_problem_not_500()
    {
        var response = await M.Operator().PostAsync(
            "/catalog/participants", new StringContent("{\"name\": ", System.Text.Encoding.UTF8, "application/json"));
        await Expect.Problem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Admitting_the_same_credit_code_twice_is_409_naming_the_participant()
    {
        var first = await M.AdmitAsync();
        var response = await M.Operator().PostAsJsonAsync("/catalog/participants", new
        {
            name = "Again",
            jurisdiction = "mainland",
            creditCode = first.CreditCode,
            roles = new[] { "provider" },
        });

        var problem = await Expect.Problem(response, HttpStatusCode.Conflict);
        Assert.Equal(first.Id, problem.GetProperty("participantId").GetGuid());
    }

    [Fact]
    public async Task Admission_needs_a_token_and_the_operator_role()
    {
        var body = new { name = "A", jurisdiction = "mainland", creditCode = Codes.NewCreditCode(), roles = new[] { "provider" } };
        await Expect.Problem(await M.Anonymous().PostAsJsonAsync("/catalog/participants", body), HttpStatusCode.Unauthorized);
        foreach (var role in new[] { "provider", "buyer" })
        {
            var client = M.ClientAs(Guid.NewGuid(), role);
            await Expect.Problem(await client.PostAsJsonAsync("/catalog/participants", body), HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task A_token_that_is_not_ours_is_401()
    {
        var client = M.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
        await Expect.Problem(await client.GetAsync("/catalog/participants"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_participant_reads_its_own_record_but_not_another()
    {
        var me = await M.AdmitAsync();
        var other = await M.AdmitAsync();
        var client = M.ClientAs(me.Id, "buyer");

        var own = await client.GetAsync($"/catalog/participants/{me.Id}");
        await Expect.Status(own, HttpStatusCode.OK);
        Assert.Equal("\"1\"", own.Headers.ETag?.Tag);

        await Expect.Problem(await client.GetAsync($"/catalog/participants/{other.Id}"), HttpStatusCode.NotFound);
        await Expect.Problem(await client.GetAsync($"/catalog/participants/{other.Id}/history"), HttpStatusCode.NotFound);
        await Expect.Problem(await M.Anonymous().GetAsync($"/catalog/participants/{me.Id}"), HttpStatusCode.Unauthorized);
        await Expect.Problem(await M.ClientAs(me.Id).GetAsync($"/catalog/participants/{me.Id}"), HttpStatusCode.Forbidden);
        await Expect.Problem(await M.Operator().GetAsync($"/catalog/participants/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_operators_list_participants()
    {
        await Expect.Problem(await M.Anonymous().GetAsync("/catalog/participants"), HttpStatusCode.Unauthorized);
        await Expect.Problem(await M.ClientAs(Guid.NewGuid(), "provider", "buyer").GetAsync("/catalog/participants"), HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("status=gone", "status")]
    [InlineData("role=operator", "role")]
    [InlineData("jurisdiction=moon", "jurisdiction")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("after=not-a-cursor", "after")]
    public async Task Bad_list_query_is_400_with_field_errors(string query, string field) =>
        await Expect.ValidationProblem(await M.Operator().GetAsync($"/catalog/participants?{query}"), field);

    [Fact]
    public async Task Unbindable_list_query_is_400_problem()
    {
        await Expect.Problem(await M.Operator().GetAsync("/catalog/participants?limit=lots"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Listing_pages_by_cursor_and_filters()
    {
        var tag = "页" + Guid.NewGuid().ToString("N")[..6];
        var admitted = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            admitted.Add((await M.AdmitAsync(i % 2 == 0 ? ["buyer"] : ["provider"], $"{tag} {i}")).Id);
        }

        var seen = new List<Guid>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = (await M.Operator().GetFromJsonAsync<Marketplace.BuildingBlocks.Http.Page<ParticipantResponse>>(
                $"/catalog/participants?q={Uri.EscapeDataString(tag)}&limit=2" + (after is null ? "" : $"&after={after}"),
                EmbeddedMarketplace.Json))!;
            seen.AddRange(page.Items.Select(p => p.Id));
            after = page.Next;
            pages++;
        }
        while (after is not null && pages < 10);

        Assert.Equal(admitted, seen);
        Assert.Equal(3, pages);

        var buyers = (await M.Operator().GetFromJsonAsync<Marketplace.BuildingBlocks.Http.Page<ParticipantResponse>>(
            $"/catalog/participants?q={Uri.EscapeDataString(tag)}&role=buyer", EmbeddedMarketplace.Json))!;
        Assert.Equal([admitted[0], admitted[2], admitted[4]], buyers.Items.Select(p => p.Id));

        var wildcard = (await M.Operator().GetFromJsonAsync<Marketplace.BuildingBlocks.Http.Page<ParticipantResponse>>(
            $"/catalog/participants?q={Uri.EscapeDataString(tag + "%")}", EmbeddedMarketplace.Json))!;
        Assert.Empty(wildcard.Items);
    }
}
