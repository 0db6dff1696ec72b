using Marketplace.Contracts.Rights;

namespace Marketplace.Rights.Certificates;

/// <summary>Active → Superseded (a new version was issued) | Expired (its term ended) | Revoked (by an operator).</summary>
public enum CertificateStatus
{
    Active,
    Superseded,
    Expired,
    Revoked,
}

/// <summary>A certificate version as stored; its signed fields are never updated, only its status.</summary>
public sealed record Certificate
{
    public long Seq { get; init; }

    public string Number { get; init; } = "";

    public Guid RegistrationId { get; init; }

    public long RegistrationSeq { get; init; }

    public int CertificateVersion { get; init; }

    public Guid ProductId { get; init; }

    public Guid ApplicantId { get; init; }

    public string Rights { get; init; } = "";

    public string Holders { get; init; } = "";

    public string ManifestSha256 { get; init; } = "";

    public DateTimeOffset ValidFrom { get; init; }

    public DateTimeOffset ValidUntil { get; init; }

    public DateTimeOffset IssuedAt { get; init; }

    public string Digest { get; init; } = "";

    public string Signature { get; init; } = "";

    public string KeyId { get; init; } = "";

    public CertificateStatus Status { get; init; }

    public string? StatusReason { get; init; }

    public DateTimeOffset? StatusAt { get; init; }

    public IReadOnlyList<HolderShare> HolderList => RightsJson.Deserialize<List<HolderShare>>(Holders);

    public IReadOnlyList<RightKind> RightList => [.. Rights.Split(',').Select(Enum.Parse<RightKind>)];

    /// <summary>The signed fields as stored now: a changed share or date gives other bytes, and the signature fails.</summary>
    public CertificateFields Fields => new(
        Number, RegistrationId, ProductId, ApplicantId, CertificateVersion, RightList, HolderList, ManifestSha256, ValidFrom, ValidUntil, IssuedAt);

    public CertificateResponse ToResponse() => new(
        Number, RegistrationId, CertificateVersion, ProductId, ApplicantId, RightList, HolderList, ManifestSha256, ValidFrom, ValidUntil, IssuedAt,
        Digest, Signature, KeyId, Status, StatusReason, StatusAt);
}

public sealed record CertificateResponse(
    string Number,
    Guid RegistrationId,
    int CertificateVersion,
    Guid ProductId,
    Guid ApplicantId,
    IReadOnlyList<RightKind> Rights,
    IReadOnlyList<HolderShare> Holders,
    string ManifestSha256,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidUntil,
    DateTimeOffset IssuedAt,
    string Digest,
    string Signature,
    string KeyId,
    CertificateStatus Status,
    string? StatusReason,
    DateTimeOffset? StatusAt);
