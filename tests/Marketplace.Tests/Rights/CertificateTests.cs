using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Marketplace.Contracts.Rights;
using Marketplace.Rights;
using Marketplace.BuildingBlocks.Signing;
using Marketplace.Rights.Certificates;
using Marketplace.Rights.Registrations;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Rights;

/// <summary>Certificates: signed, verifiable by anyone offline, tamper-evident; versions for holder changes and renewals; revocation; expiry.</summary>
public sealed class CertificateTests : IAsyncLifetime
{
    private readonly RightsSteps s = RightsSteps.NewHost();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await s.M.DisposeAsync();

    [Fact]
    public async Task Anyone_verifies_a_certificate_online_and_offline_with_the_published_key()
    {
        var provider = await s.ParticipantAsync();
        var number = await s.CertifiedAsync(provider, await s.ProductAsync(provider));
        var verification = (await s.M.Anonymous().GetFromJsonAsync<Verification>($"/rights/certificates/{number}/verification", EmbeddedMarketplace.Json))!;
        Assert.True(verification.SignatureValid && verification.InForce);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(verification.Payload))), verification.Digest);

        // Offline: the payload, the signature and the public key are all a third party needs.
        var keys = (await s.M.Anonymous().GetFromJsonAsync<List<VerificationKey>>("/rights/certificates/keys", EmbeddedMarketplace.Json))!;
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(keys.Single(k => k.KeyId == verification.KeyId).Pem);
        Assert.True(ecdsa.VerifyData(Encoding.UTF8.GetBytes(verification.Payload), Convert.FromBase64String(verification.Signature), HashAlgorithmName.SHA256));
        Assert.False(ecdsa.VerifyData(Encoding.UTF8.GetBytes(verification.Payload.Replace("10000", "9999", StringComparison.Ordinal)),
            Convert.FromBase64String(verification.Signature), HashAlgorithmName.SHA256));
        Assert.Contains("\"shareBps\":10000", verification.Payload, StringComparison.Ordinal);

        await Expect.Problem(await s.M.Anonymous().GetAsync("/rights/certificates/DRC-2026-99999999-V1/verification"), HttpStatusCode.NotFound);
        await Expect.Problem(await s.M.Anonymous().GetAsync($"/rights/certificates/{number}"), HttpStatusCode.Unauthorized);
    }

    public static TheoryData<string, string> Tampering() => new()
    {
        { "a changed share", "UPDATE rights.certificates SET holders = REPLACE(holders, '10000', '9000') WHERE number = @Number" },
        { "a later end date", "UPDATE rights.certificates SET valid_until = @Later WHERE number = @Number" },
        { "another fingerprint", "UPDATE rights.certificates SET manifest_sha256 = @Other WHERE number = @Number" },
        { "a dropped right", "UPDATE rights.certificates SET rights = 'Holding,Processing' WHERE number = @Number" },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task A_certificate_changed_in_the_database_fails_verification(string what, string sql)
    {
        _ = what;
        var provider = await s.ParticipantAsync();
        var number = await s.CertifiedAsync(provider, await s.ProductAsync(provider));
        await using (var connection = await s.M.Get<RightsDb>().OpenAsync())
        {
            Assert.Equal(1, await Dapper.SqlMapper.ExecuteAsync(connection, sql, new { Number = number, Later = s.Time.GetUtcNow().AddYears(30), Other = new string('c', 64) }));
        }

        var verification = (await s.M.Anonymous().GetFromJsonAsync<Verification>($"/rights/certificates/{number}/verification", EmbeddedMarketplace.Json))!;
        Assert.False(verification.SignatureValid);
        Assert.False(verification.InForce);
    }

    [Fact]
    public async Task A_change_of_holders_issues_a_new_version_and_supersedes_the_old_one()
    {
        var provider = await s.ParticipantAsync();
        var partner = await s.ParticipantAsync();
        var product = await s.ProductAsync(provider);
        var v1 = await s.CertifiedAsync(provider, product);
        var registrationId = (await s.As(provider, "provider").GetFromJsonAsync<CertificateResponse>($"/rights/certificates/{v1}", EmbeddedMarketplace.Json))!.RegistrationId;
        var url = $"/rights/registrations/{registrationId}/holder-changes";
        var body = new { holders = new[] { new { holderId = provider, shareBps = 6_000 }, new { holderId = partner, shareBps = 4_000 } }, reason = "引入合作方共同持有" };

        await Expect.Problem(await s.As(partner, "provider").PostAsJsonAsync(url, body), HttpStatusCode.NotFound);
        await Expect.ValidationProblem(await s.As(provider, "provider").PostAsJsonAsync(url, new { holders = new[] { new { holderId = provider, shareBps = 6_000 } }, reason = "x" }), "holders");
        var requested = await s.As(provider, "provider").PostAsJsonAsync(url, body);
        await Expect.Status(requested, HttpStatusCode.Created);
        var change = (await requested.Content.ReadFromJsonAsync<HolderChangeResponse>(EmbeddedMarketplace.Json))!;
        await Expect.Problem(await s.As(provider, "provider").PostAsJsonAsync($"/rights/holder-changes/{change.Id}/approve", new { reason = "x" }), HttpStatusCode.Forbidden);
        await Expect.Status(await s.M.Operator().PostAsJsonAsync($"/rights/holder-changes/{change.Id}/approve", new { reason = "材料齐全" }), HttpStatusCode.OK);
        await Expect.Problem(await s.M.Operator().PostAsJsonAsync($"/rights/holder-changes/{change.Id}/refuse", new { reason = "x" }), HttpStatusCode.Conflict);

        var versions = (await s.As(partner, "buyer").GetFromJsonAsync<List<CertificateResponse>>($"/rights/registrations/{registrationId}/certificates", EmbeddedMarketplace.Json))!;
        Assert.Equal([(1, CertificateStatus.Superseded), (2, CertificateStatus.Active)], versions.Select(v => (v.CertificateVersion, v.Status)));
        Assert.Equal(versions[0].ValidUntil, versions[1].ValidUntil);
        Assert.Equal([6_000, 4_000], versions[1].Holders.Select(h => h.ShareBps));
        Assert.EndsWith("-V2", versions[1].Number, StringComparison.Ordinal);
        var old = (await s.M.Anonymous().GetFromJsonAsync<Verification>($"/rights/certificates/{v1}/verification", EmbeddedMarketplace.Json))!;
        Assert.True(old.SignatureValid);
        Assert.False(old.InForce);
        Assert.Equal(2, await s.CountPublishedAsync<RightsCertified>(registrationId));
    }

    [Fact]
    public async Task A_certificate_is_renewed_in_its_last_months_and_expires_by_time_otherwise()
    {
        var provider = await s.ParticipantAsync();
        var first = await s.CertifiedAsync(provider, await s.ProductAsync(provider));
        var second = await s.CertifiedAsync(provider, await s.ProductAsync(provider));
        await Expect.Problem(await s.As(provider, "provider").PostAsync($"/rights/certificates/{first}/renew", null), HttpStatusCode.Conflict);

        s.Time.Advance(TimeSpan.FromDays((365 * 3) - 60));
        var other = await s.ParticipantAsync();
        await Expect.Problem(await s.As(other, "provider").PostAsync($"/rights/certificates/{first}/renew", null), HttpStatusCode.NotFound);
        var renewed = await s.As(provider, "provider").PostAsync($"/rights/certificates/{first}/renew", null);
        await Expect.Status(renewed, HttpStatusCode.OK);
        var v2 = (await renewed.Content.ReadFromJsonAsync<CertificateResponse>(EmbeddedMarketplace.Json))!;
        Assert.Equal(2, v2.CertificateVersion);

        s.Time.Advance(TimeSpan.FromDays(90));
        var tick = await s.Clock().TickAsync(CancellationToken.None);
        Assert.Equal(1, tick.CertificatesExpired); // the second, not renewed; the first's new version runs on
        var expired = (await s.M.Anonymous().GetFromJsonAsync<Verification>($"/rights/certificates/{second}/verification", EmbeddedMarketplace.Json))!;
        Assert.Equal((true, false, CertificateStatus.Expired), (expired.SignatureValid, expired.InForce, expired.Status));
        Assert.Equal(1, await s.CountPublishedAsync<RightsExpired>(expired.Certificate.RegistrationId));
        var registration = (await s.As(provider, "provider").GetFromJsonAsync<RegistrationResponse>($"/rights/registrations/{expired.Certificate.RegistrationId}", EmbeddedMarketplace.Json))!;
        Assert.Equal(RegistrationStatus.Expired, registration.Status);
        Assert.True((await s.M.Anonymous().GetFromJsonAsync<Verification>($"/rights/certificates/{v2.Number}/verification", EmbeddedMarketplace.Json))!.InForce);
    }

    [Fact]
    public async Task An_operator_revokes_a_certificate_with_reasons_once()
    {
        var provider = await s.ParticipantAsync();
        var number = await s.CertifiedAsync(provider, await s.ProductAsync(provider));
        await Expect.Problem(await s.As(provider, "provider").PostAsJsonAsync($"/rights/certificates/{number}/revoke", new { reason = "x" }), HttpStatusCode.Forbidden);
        await Expect.ValidationProblem(await s.M.Operator().PostAsJsonAsync($"/rights/certificates/{number}/revoke", new { reason = "" }), "reason");
        var revoked = await s.M.Operator().PostAsJsonAsync($"/rights/certificates/{number}/revoke", new { reason = "经查数据来源不合法" });
        await Expect.Status(revoked, HttpStatusCode.OK);
        var certificate = (await revoked.Content.ReadFromJsonAsync<CertificateResponse>(EmbeddedMarketplace.Json))!;
        Assert.Equal((CertificateStatus.Revoked, "经查数据来源不合法"), (certificate.Status, certificate.StatusReason));
        await Expect.Problem(await s.M.Operator().PostAsJsonAsync($"/rights/certificates/{number}/revoke", new { reason = "again" }), HttpStatusCode.Conflict);
        await Expect.Problem(await s.M.Operator().PostAsJsonAsync("/rights/certificates/DRC-2026-99999999-V1/revoke", new { reason = "x" }), HttpStatusCode.NotFound);
        Assert.Equal(1, await s.CountPublishedAsync<RightsRevoked>(certificate.RegistrationId));
        var history = (await s.M.Operator().GetFromJsonAsync<List<RegistrationEvent>>($"/rights/registrations/{certificate.RegistrationId}/history", EmbeddedMarketplace.Json))!;
        Assert.Equal("certificate-revoked", history[^1].Action);
    }
}
