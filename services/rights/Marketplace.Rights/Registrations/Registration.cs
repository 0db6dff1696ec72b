using Marketplace.Contracts.Rights;

namespace Marketplace.Rights.Registrations;

/// <summary>
/// Submitted → (formal review) FormalPassed → (substantive review) InNotice → (notice ends, no objection upheld)
/// Certified → Revoked | Expired. Either review may return it (Returned → resubmitted) or refuse it; an upheld
/// objection refuses it.
/// </summary>
public enum RegistrationStatus
{
    Submitted,
    Returned,
    FormalPassed,
    InNotice,
    Certified,
    Refused,
    Revoked,
    Expired,
}

/// <summary>A rights registration as stored.</summary>
public sealed record Registration
{
    public long Seq { get; init; }

    public Guid Id { get; init; }

    public Guid ProductId { get; init; }

    public Guid ApplicantId { get; init; }

    public string Rights { get; init; } = "";

    public string Holders { get; init; } = "";

    public string ManifestSha256 { get; init; } = "";

    public string SourceDescription { get; init; } = "";

    public string LawfulBasis { get; init; } = "";

    public RegistrationStatus Status { get; init; }

    public DateTimeOffset? NoticeEndsAt { get; init; }

    public int Version { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public IReadOnlyList<RightKind> RightList => [.. Rights.Split(',').Select(Enum.Parse<RightKind>)];

    public IReadOnlyList<HolderShare> HolderList => RightsJson.Deserialize<List<HolderShare>>(Holders);

    public static string RightsText(IEnumerable<RightKind> rights) => string.Join(',', rights.Distinct().Order());

    public RegistrationResponse ToResponse() => new(
        Id, ProductId, ApplicantId, RightList, HolderList, ManifestSha256, SourceDescription, LawfulBasis, Status, NoticeEndsAt, Version, CreatedAt, UpdatedAt);
}

public sealed record RegistrationResponse(
    Guid Id,
    Guid ProductId,
    Guid ApplicantId,
    IReadOnlyList<RightKind> Rights,
    IReadOnlyList<HolderShare> Holders,
    string ManifestSha256,
    string SourceDescription,
    string LawfulBasis,
    RegistrationStatus Status,
    DateTimeOffset? NoticeEndsAt,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
