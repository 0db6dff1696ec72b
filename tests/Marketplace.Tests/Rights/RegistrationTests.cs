using System.Net;
using System.Net.Http.Json;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Rights;
using Marketplace.Rights;
using Marketplace.Rights.Certificates;
using Marketplace.Rights.Registrations;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Rights;

/// <summary>Registration from application to certificate: reviews, public notice by working days, objections, every transition.</summary>
public sealed class RegistrationTests : IAsyncLifetime
{
    private readonly RightsSteps s = RightsSteps.NewHost();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await s.M.DisposeAsync();

    [Fact]
    public async Task An_application_passes_both_reviews_survives_its_notice_and_is_certified_by_time()
    {
        var provider = await s.ParticipantAsync();
        var partner = await s.ParticipantAsync(ParticipantRoles.Provider);
        var product = await s.ProductAsync(provider);
        var holiday = new { holidays = new[] { "2026-12-01" }, workingWeekendDays = Array.Empty<string>() };
        await Expect.Status(await s.M.Operator().PutAsJsonAsync("/rights/calendar/2026", holiday), HttpStatusCode.OK);

        var registration = await s.InNoticeAsync(provider, product, (provider, 7_000), (partner, 3_000));
        Assert.Equal(RegistrationStatus.InNotice, registration.Status);

        // Ten working days from Thursday 26 November, 1 December off: the last is Thursday 10 December; ends 00:00 on the 11th, UTC+8.
        Assert.Equal(new DateTimeOffset(2026, 12, 10, 16, 0, 0, TimeSpan.Zero), registration.NoticeEndsAt);

        var objector = await s.ParticipantAsync(ParticipantRoles.Buyer);
        var filed = await s.As(objector, "buyer").PostAsJsonAsync($"/rights/registrations/{registration.Id}/objections", new { grounds = "该数据部分来源于本公司" });
        await Expect.Status(filed, HttpStatusCode.Created);
        var objection = (await filed.Content.ReadFromJsonAsync<ObjectionResponse>(EmbeddedMarketplace.Json))!;

        s.Time.SetUtcNow(registration.NoticeEndsAt!.Value.AddSeconds(-1));
        Assert.Equal(0, (await s.Clock().TickAsync(CancellationToken.None)).Certified);
        s.Time.SetUtcNow(registration.NoticeEndsAt!.Value.AddHours(1));
        Assert.Equal(0, (await s.Clock().TickAsync(CancellationToken.None)).Certified); // an objection awaits its ruling

        await Expect.Status(await s.M.Operator().PostAsJsonAsync($"/rights/objections/{objection.Id}/ruling", new { upheld = false, reason = "异议人未提供权属证明" }), HttpStatusCode.OK);
        Assert.Equal(1, (await s.Clock().TickAsync(CancellationToken.None)).Certified);
        Assert.Equal(0, (await s.Clock().TickAsync(CancellationToken.None)).Certified);

        var certified = (await s.As(objector, "buyer").GetFromJsonAsync<RegistrationResponse>($"/rights/registrations/{registration.Id}", EmbeddedMarketplace.Json))!;
        Assert.Equal(RegistrationStatus.Certified, certified.Status);
        var certificates = (await s.As(provider, "provider").GetFromJsonAsync<List<CertificateResponse>>($"/rights/registrations/{registration.Id}/certificates", EmbeddedMarketplace.Json))!;
        var certificate = Assert.Single(certificates);
        Assert.Matches(@"^DRC-2026-\d{8}-V1$", certificate.Number);
        Assert.Equal([(provider, 7_000), (partner, 3_000)], certificate.Holders.Select(h => (h.HolderId, h.ShareBps)));
        Assert.Equal(certificate.ValidFrom.AddYears(3), certificate.ValidUntil);
        var published = await s.PublishedAsync<RightsCertified>(registration.Id);
        Assert.Equal(certificate.Number, published.GetProperty("number").GetString());

        var history = (await s.As(provider, "provider").GetFromJsonAsync<List<RegistrationEvent>>($"/rights/registrations/{registration.Id}/history", EmbeddedMarketplace.Json))!;
        Assert.Equal(["submitted", "formal-passed", "substantive-passed", "objection-filed", "objection-dismissed", "certified"], history.Select(h => h.Action));
    }

    [Fact]
    public async Task An_upheld_objection_refuses_the_registration_and_no_certificate_follows()
    {
        var provider = await s.ParticipantAsync();
        var registration = await s.InNoticeAsync(provider, await s.ProductAsync(provider));
        var objectors = new[] { await s.ParticipantAsync(), await s.ParticipantAsync() };
        var ids = new List<Guid>();
        foreach (var objector in objectors)
        {
            var filed = await s.As(objector, "provider").PostAsJsonAsync($"/rights/registrations/{registration.Id}/objections", new { grounds = "权属存在争议" });
            ids.Add((await filed.Content.ReadFromJsonAsync<ObjectionResponse>(EmbeddedMarketplace.Json))!.Id);
        }

        await Expect.Status(await s.M.Operator().PostAsJsonAsync($"/rights/objections/{ids[0]}/ruling", new { upheld = true, reason = "权属争议未解决" }), HttpStatusCode.OK);
        await Expect.Problem(await s.M.Operator().PostAsJsonAsync($"/rights/objections/{ids[1]}/ruling", new { upheld = false, reason = "x" }), HttpStatusCode.Conflict);
        s.Time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(0, (await s.Clock().TickAsync(CancellationToken.None)).Certified);
        var refused = (await s.As(provider, "provider").GetFromJsonAsync<RegistrationResponse>($"/rights/registrations/{registration.Id}", EmbeddedMarketplace.Json))!;
        Assert.Equal(RegistrationStatus.Refused, refused.Status);
        Assert.Equal(0, await s.M.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.certificates WHERE registration_id = @Id", new { registration.Id }));
        var objections = (await s.As(provider, "provider").GetFromJsonAsync<List<ObjectionResponse>>($"/rights/registrations/{registration.Id}/objections", EmbeddedMarketplace.Json))!;
        Assert.Equal([ObjectionStatus.Upheld, ObjectionStatus.Closed], objections.Select(o => o.Status));
    }

    [Fact]
    public async Task A_returned_application_is_corrected_and_resubmitted_and_each_review_can_refuse()
    {
        var provider = await s.ParticipantAsync();
        var product = await s.ProductAsync(provider);
        var registration = await s.ApplyAsync(provider, product);
        await Expect.ValidationProblem(await s.Review(registration.Id, "formal", "return"), "reason");
        await Expect.Status(await s.Review(registration.Id, "formal", "return", "来源说明不完整"), HttpStatusCode.OK);
        var resubmitted = await s.As(provider, "provider").PutAsJsonAsync($"/rights/registrations/{registration.Id}", RightsSteps.Application(product, (provider, 10_000)));
        await Expect.Status(resubmitted, HttpStatusCode.OK);
        await Expect.Status(await s.Review(registration.Id, "formal"), HttpStatusCode.OK);
        await Expect.Status(await s.Review(registration.Id, "substantive", "refuse", "来源不合法"), HttpStatusCode.OK);

        // Refused ends it: a new application for the product may follow.
        var again = await s.ApplyAsync(provider, product);
        await Expect.Status(await s.Review(again.Id, "formal", "refuse", "材料虚假"), HttpStatusCode.OK);
    }

    public static TheoryData<string, string[]> Illegal() => new()
    {
        { "Submitted", ["substantive", "object", "resubmit"] },
        { "FormalPassed", ["formal", "object", "resubmit"] },
        { "InNotice", ["formal", "substantive", "resubmit"] },
        { "Returned", ["formal", "substantive", "object"] },
        { "Refused", ["formal", "substantive", "object", "resubmit"] },
    };

    [Theory]
    [MemberData(nameof(Illegal))]
    public async Task Every_illegal_transition_is_409_naming_the_state(string state, string[] actions)
    {
        var provider = await s.ParticipantAsync();
        var product = await s.ProductAsync(provider);
        var registration = await s.ApplyAsync(provider, product);
        string[] path = state switch
        {
            "Submitted" => [],
            "FormalPassed" => ["formal:pass"],
            "InNotice" => ["formal:pass", "substantive:pass"],
            "Returned" => ["formal:return"],
            _ => ["formal:refuse"],
        };
        foreach (var step in path.Select(p => p.Split(':')))
        {
            await Expect.Status(await s.Review(registration.Id, step[0], step[1], "理由"), HttpStatusCode.OK);
        }

        var objector = s.As(await s.ParticipantAsync(), "buyer");
        foreach (var action in actions)
        {
            var response = action switch
            {
                "object" => await objector.PostAsJsonAsync($"/rights/registrations/{registration.Id}/objections", new { grounds = "异议" }),
                "resubmit" => await s.As(provider, "provider").PutAsJsonAsync($"/rights/registrations/{registration.Id}", RightsSteps.Application(product, (provider, 10_000))),
                _ => await s.Review(registration.Id, action, "pass"),
            };
            var problem = await Expect.Problem(response, HttpStatusCode.Conflict);
            Assert.Equal(state, problem.GetProperty("currentState").GetString());
        }
    }

    public static TheoryData<string, object, string> Invalid()
    {
        var product = Guid.NewGuid();
        var holder = Guid.NewGuid();
        object With(Action<Dictionary<string, object?>> change)
        {
            var body = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(System.Text.Json.JsonSerializer.Serialize(RightsSteps.Application(product, (holder, 10_000))))!;
            change(body);
            return body;
        }

        return new()
        {
            { "no product", With(b => b.Remove("productId")), "productId" },
            { "no rights", With(b => b["rights"] = Array.Empty<string>()), "rights" },
            { "repeated right", With(b => b["rights"] = new[] { "holding", "holding" }), "rights" },
            { "no holders", With(b => b.Remove("holders")), "holders" },
            { "shares short of 10,000", With(b => b["holders"] = new[] { new { holderId = holder, shareBps = 9_999 } }), "holders" },
            { "a holder twice", With(b => b["holders"] = new[] { new { holderId = holder, shareBps = 5_000 }, new { holderId = holder, shareBps = 5_000 } }), "holders" },
            { "a zero share", With(b => b["holders"] = new[] { new { holderId = holder, shareBps = 10_000 }, new { holderId = Guid.NewGuid(), shareBps = 0 } }), "holders" },
            { "fingerprint not SHA-256", With(b => b["manifestSha256"] = "ABC"), "manifestSha256" },
            { "no lawful basis", With(b => b["lawfulBasis"] = ""), "lawfulBasis" },
        };
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task An_invalid_application_is_400_by_field_and_nothing_is_written(string why, object body, string field)
    {
        _ = why;
        var provider = await s.ParticipantAsync();
        await Expect.ValidationProblem(await s.As(provider, "provider").PostAsJsonAsync("/rights/registrations", body), field);
        Assert.Equal(0, await s.M.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.registrations"));
    }

    [Fact]
    public async Task Core_data_foreign_evidence_and_unadmitted_holders_are_refused_with_a_reason()
    {
        var provider = await s.ParticipantAsync();
        var core = await s.ProductAsync(provider, DataGrade.Core);
        var client = s.As(provider, "provider");
        var problem = await Expect.Problem(await client.PostAsJsonAsync("/rights/registrations", RightsSteps.Application(core, (provider, 10_000))), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("core-data", problem.GetProperty("reason").GetString());

        var product = await s.ProductAsync(provider);
        var foreign = System.Text.Json.JsonSerializer.SerializeToNode(RightsSteps.Application(product, (provider, 10_000)))!.AsObject();
        foreign["manifestSha256"] = new string('b', 64);
        problem = await Expect.Problem(await client.PostAsJsonAsync("/rights/registrations", foreign), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("evidence-mismatch", problem.GetProperty("reason").GetString());

        problem = await Expect.Problem(await client.PostAsJsonAsync("/rights/registrations", RightsSteps.Application(product, (provider, 5_000), (Guid.NewGuid(), 5_000))), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("holder-not-admitted", problem.GetProperty("reason").GetString());

        await s.ApplyAsync(provider, product);
        await Expect.Problem(await client.PostAsJsonAsync("/rights/registrations", RightsSteps.Application(product, (provider, 10_000))), HttpStatusCode.Conflict);
        Assert.Equal(1, await s.M.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.registrations"));
    }

    [Fact]
    public async Task Who_may_apply_review_object_and_read()
    {
        var provider = await s.ParticipantAsync();
        var other = await s.ParticipantAsync();
        var product = await s.ProductAsync(provider);
        var body = RightsSteps.Application(product, (provider, 10_000));
        await Expect.Problem(await s.M.Anonymous().PostAsJsonAsync("/rights/registrations", body), HttpStatusCode.Unauthorized);
        await Expect.Problem(await s.As(provider, "buyer").PostAsJsonAsync("/rights/registrations", body), HttpStatusCode.Forbidden);
        await Expect.Problem(await s.As(other, "provider").PostAsJsonAsync("/rights/registrations", body), HttpStatusCode.NotFound);

        var registration = await s.ApplyAsync(provider, product);
        await Expect.Problem(await s.As(provider, "provider").PostAsJsonAsync($"/rights/registrations/{registration.Id}/formal-review", new { decision = "pass" }), HttpStatusCode.Forbidden);
        await Expect.Problem(await s.As(other, "provider").GetAsync($"/rights/registrations/{registration.Id}"), HttpStatusCode.NotFound);
        await Expect.Problem(await s.As(other, "provider").PutAsJsonAsync($"/rights/registrations/{registration.Id}", body), HttpStatusCode.NotFound);
        Assert.Empty((await s.As(other, "provider").GetFromJsonAsync<Marketplace.BuildingBlocks.Http.Page<RegistrationResponse>>("/rights/registrations", EmbeddedMarketplace.Json))!.Items);

        await Expect.Status(await s.Review(registration.Id, "formal"), HttpStatusCode.OK);
        await Expect.Status(await s.Review(registration.Id, "substantive"), HttpStatusCode.OK);
        await Expect.Status(await s.As(other, "provider").GetAsync($"/rights/registrations/{registration.Id}"), HttpStatusCode.OK); // 公示: public now
        Assert.Single((await s.As(other, "provider").GetFromJsonAsync<Marketplace.BuildingBlocks.Http.Page<RegistrationResponse>>("/rights/registrations?status=inNotice", EmbeddedMarketplace.Json))!.Items);
        await Expect.Problem(await s.As(provider, "provider").PostAsJsonAsync($"/rights/registrations/{registration.Id}/objections", new { grounds = "x" }), HttpStatusCode.Forbidden);
        await Expect.Problem(await s.M.Operator().PostAsJsonAsync($"/rights/registrations/{registration.Id}/objections", new { grounds = "x" }), HttpStatusCode.Forbidden);
        await Expect.Problem(await s.As(Guid.NewGuid(), "buyer").PostAsJsonAsync($"/rights/registrations/{registration.Id}/objections", new { grounds = "x" }), HttpStatusCode.Forbidden);
        await Expect.ValidationProblem(await s.As(other, "buyer").PostAsJsonAsync($"/rights/registrations/{registration.Id}/objections", new { grounds = "" }), "grounds");
        await Expect.Problem(await s.As(other, "provider").PostAsJsonAsync($"/rights/objections/{Guid.NewGuid()}/ruling", new { upheld = true, reason = "x" }), HttpStatusCode.Forbidden);
        await Expect.Problem(await s.M.Operator().PostAsJsonAsync($"/rights/objections/{Guid.NewGuid()}/ruling", new { upheld = true, reason = "x" }), HttpStatusCode.NotFound);
        await Expect.Problem(await s.As(other, "provider").PutAsJsonAsync("/rights/calendar/2026", new { holidays = Array.Empty<string>() }), HttpStatusCode.Forbidden);
        await Expect.ValidationProblem(await s.M.Operator().PutAsJsonAsync("/rights/calendar/2026", new { holidays = new[] { "2027-01-01" } }), "year");
        await Expect.ValidationProblem(await s.M.Operator().PutAsJsonAsync("/rights/calendar/2026", new { workingWeekendDays = new[] { "2026-10-12" } }), "workingWeekendDays");
    }
}
