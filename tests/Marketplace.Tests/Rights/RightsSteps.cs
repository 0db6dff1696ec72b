using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.BuildingBlocks.Hosting;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Rights;
using Marketplace.Rights;
using Marketplace.Rights.Registrations;
using Marketplace.Tests.Support;
using MassTransit;
using Microsoft.Extensions.Time.Testing;

namespace Marketplace.Tests.Rights;

/// <summary>
/// Rights learns participants and products from catalog's events; these steps publish those events straight onto the
/// bus (rights is a service of its own: the events are its whole input), then drive registrations over HTTP.
/// </summary>
public sealed class RightsSteps(EmbeddedMarketplace m, FakeTimeProvider time)
{
    public const string Manifest = "5f2b8a0c1d4e7f9a3b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a";

    public EmbeddedMarketplace M => m;

    public FakeTimeProvider Time => time;

    /// <summary>A fresh host on a fake clock starting Wednesday 2026-11-25 09:00 UTC, without the clock's loop: tests tick it.</summary>
    public static RightsSteps NewHost()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        var m = new EmbeddedMarketplace(time: time) { WithoutHostedServices = [typeof(PeriodicWorkLoop<RightsClock>)] };
        return new RightsSteps(m, time);
    }

    public HttpClient As(Guid id, params string[] roles) => m.ClientAs(id, roles);

    public async Task<Guid> ParticipantAsync(
        ParticipantRoles roles = ParticipantRoles.Provider | ParticipantRoles.Buyer, Jurisdiction jurisdiction = Jurisdiction.Mainland,
        QualificationLevel? qualification = QualificationLevel.Basic)
    {
        var id = Guid.NewGuid();
        await m.Get<IBus>().Publish(new ParticipantAdmitted(id, "测试主体", jurisdiction, "X", roles, qualification, 1, time.GetUtcNow()));
        await Eventually.True(async () => await m.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.participants WHERE id = @id", new { id }) == 1);
        return id;
    }

    public async Task<Guid> ProductAsync(
        Guid owner, DataGrade grade = DataGrade.General, DataSubject subject = DataSubject.Enterprise, bool manual = false, bool exclusiveAllowed = true)
    {
        var id = Guid.NewGuid();
        await m.Get<IBus>().Publish(new ProductListed(
            id, owner, 1, "长三角城市交通流量数据", "G", subject, grade, [DeliveryMethod.Api], manual, exclusiveAllowed, Manifest, 2, time.GetUtcNow()));
        await Eventually.True(async () => await m.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.products WHERE id = @id", new { id }) == 1);
        return id;
    }

    public static object Application(Guid product, params (Guid Holder, int Bps)[] holders) => new
    {
        productId = product,
        rights = new[] { "holding", "processing", "operating" },
        holders = holders.Select(h => new { holderId = h.Holder, shareBps = h.Bps }),
        manifestSha256 = Manifest,
        sourceDescription = "合作城市交通管理部门授权采集的卡口数据",
        lawfulBasis = "依据数据共享协议取得，已完成合规评估",
    };

    public async Task<RegistrationResponse> ApplyAsync(Guid provider, Guid product, params (Guid Holder, int Bps)[] holders)
    {
        var response = await As(provider, "provider").PostAsJsonAsync("/rights/registrations", Application(product, holders.Length == 0 ? [(provider, 10_000)] : holders));
        await Expect.Status(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<RegistrationResponse>(EmbeddedMarketplace.Json))!;
    }

    public Task<HttpResponseMessage> Review(Guid id, string stage, string decision = "pass", string? reason = null) =>
        m.Operator().PostAsJsonAsync($"/rights/registrations/{id}/{stage}-review", new { decision, reason });

    public async Task<RegistrationResponse> InNoticeAsync(Guid provider, Guid product, params (Guid Holder, int Bps)[] holders)
    {
        var registration = await ApplyAsync(provider, product, holders);
        await Expect.Status(await Review(registration.Id, "formal"), HttpStatusCode.OK);
        var response = await Review(registration.Id, "substantive");
        await Expect.Status(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<RegistrationResponse>(EmbeddedMarketplace.Json))!;
    }

    /// <summary>Registers and certifies the provider's rights over the product: the notice runs out and the clock ticks.</summary>
    public async Task<string> CertifiedAsync(Guid provider, Guid product, params (Guid Holder, int Bps)[] holders)
    {
        var registration = await InNoticeAsync(provider, product, holders);
        time.SetUtcNow(registration.NoticeEndsAt!.Value);
        Assert.True((await Clock().TickAsync(CancellationToken.None)).Certified >= 1);
        return (await m.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.certificates WHERE registration_id = @Id", new { registration.Id }) == 1)
            ? await NumberAsync(registration.Id)
            : throw new InvalidOperationException("No certificate was issued.");
    }

    public RightsClock Clock() => m.Get<RightsClock>();

    public async Task<string> NumberAsync(Guid registrationId)
    {
        await using var connection = await m.Get<RightsDb>().OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection,
            "SELECT number FROM rights.certificates WHERE registration_id = @Id AND status = 'Active'", new { Id = registrationId }) ?? "";
    }

    /// <summary>The body of the one outbox message of <typeparamref name="T"/> that mentions <paramref name="key"/>, once it is there.</summary>
    public async Task<JsonElement> PublishedAsync<T>(Guid key)
    {
        var body = await Eventually.Get(async () =>
        {
            await using var connection = await m.Get<RightsDb>().OpenAsync();
            return await Dapper.SqlMapper.QueryFirstOrDefaultAsync<string>(connection,
                "SELECT body FROM rights.outbox WHERE message_type = @Type AND body LIKE @Key", new { Type = typeof(T).FullName, Key = $"%{key}%" });
        }, what: $"a {typeof(T).Name} about {key}");
        return JsonDocument.Parse(body).RootElement;
    }

    public Task<long> CountPublishedAsync<T>(Guid key) => m.CountAsync<RightsDb>(
        "SELECT COUNT(*) FROM rights.outbox WHERE message_type = @Type AND body LIKE @Key", new { Type = typeof(T).FullName, Key = $"%{key}%" });
}
