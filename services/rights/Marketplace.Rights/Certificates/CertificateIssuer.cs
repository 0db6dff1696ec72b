using System.Globalization;
using Marketplace.BuildingBlocks.Signing;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Contracts.Rights;
using Marketplace.Rights.Registrations;
using Microsoft.Extensions.Options;

namespace Marketplace.Rights.Certificates;

/// <summary>
/// Issues a certificate version for a registration: signs its fields, stores it, supersedes the version before it
/// and publishes <see cref="RightsCertified"/>, inside the caller's transaction. Numbers read
/// <c>DRC-{year of issue}-{registration sequence, 8 digits}-V{version}</c>, e.g. <c>DRC-2026-00000042-V1</c>.
/// </summary>
public sealed class CertificateIssuer(ExchangeSigner<RightsDb> signer, IOptions<RightsOptions> options)
{
    /// <summary>A certificate's term (<c>Rights:Certificates:TermYears</c>, default 3).</summary>
    public int TermYears { get; } = options.Value.Certificates.TermYears;

    public async Task<Certificate> IssueAsync(
        UnitOfWork uow, Registration registration, IReadOnlyList<HolderShare> holders, DateTimeOffset validFrom, DateTimeOffset validUntil,
        DateTimeOffset now)
    {
        if (await CertificateStore.CurrentAsync(uow, registration.Id) is { } previous)
        {
            await CertificateStore.SetStatusAsync(uow, previous.Number, CertificateStatus.Superseded, "A new version was issued.", now);
        }

        var version = await CertificateStore.LatestVersionAsync(uow, registration.Id) + 1;
        var number = string.Create(CultureInfo.InvariantCulture, $"DRC-{now.ToOffset(TimeSpan.FromHours(8)).Year}-{registration.Seq:D8}-V{version}");
        var fields = new CertificateFields(
            number, registration.Id, registration.ProductId, registration.ApplicantId, version, registration.RightList, holders,
            registration.ManifestSha256, validFrom, validUntil, now);
        var payload = CertificatePayload.Build(fields);
        var (keyId, signature) = await signer.SignAsync(uow, payload);
        var certificate = new Certificate
        {
            Number = number,
            RegistrationId = registration.Id,
            RegistrationSeq = registration.Seq,
            CertificateVersion = version,
            ProductId = registration.ProductId,
            ApplicantId = registration.ApplicantId,
            Rights = Registration.RightsText(fields.Rights),
            Holders = RightsJson.Serialize(holders),
            ManifestSha256 = registration.ManifestSha256,
            ValidFrom = validFrom,
            ValidUntil = validUntil,
            IssuedAt = now,
            Digest = CertificatePayload.Digest(payload),
            Signature = signature,
            KeyId = keyId,
            Status = CertificateStatus.Active,
        };
        await CertificateStore.InsertAsync(uow, certificate);
        await uow.PublishAsync(
            new RightsCertified(number, registration.Id, registration.ProductId, registration.ApplicantId, version, fields.Rights, holders, validFrom, validUntil, now),
            now);
        return certificate;
    }
}
