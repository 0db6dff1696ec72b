using Marketplace.Contracts.Catalog;

namespace Marketplace.Catalog.Participants;

public enum ParticipantStatus
{
    Active,
    Suspended,
}

/// <summary>A participant as stored (one row of <c>catalog.participants</c>).</summary>
internal sealed record Participant
{
    public long Seq { get; init; }

    public Guid Id { get; init; }

    public string Name { get; init; } = "";

    public Jurisdiction Jurisdiction { get; init; }

    public string? CreditCode { get; init; }

    public string? Region { get; init; }

    public string? RegistrationNumber { get; init; }

    public ParticipantRoles Roles { get; init; }

    public QualificationLevel? Qualification { get; init; }

    public ParticipantStatus Status { get; init; }

    public string? StatusReason { get; init; }

    public int Version { get; init; }

    public DateTimeOffset AdmittedAt { get; init; }

    public Guid AdmittedBy { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The code that identifies the organisation where it is registered.</summary>
    public string RegistrationCode => CreditCode ?? $"{Region}/{RegistrationNumber}";

    public ParticipantResponse ToResponse() => new(
        Id,
        Name,
        Jurisdiction,
        CreditCode,
        Region,
        RegistrationNumber,
        [.. Enum.GetValues<ParticipantRoles>().Where(r => r != ParticipantRoles.None && Roles.HasFlag(r))],
        Qualification,
        Status,
        StatusReason,
        Version,
        AdmittedAt,
        UpdatedAt);
}

public sealed record ParticipantResponse(
    Guid Id,
    string Name,
    Jurisdiction Jurisdiction,
    string? CreditCode,
    string? Region,
    string? RegistrationNumber,
    IReadOnlyList<ParticipantRoles> Roles,
    QualificationLevel? Qualification,
    ParticipantStatus Status,
    string? StatusReason,
    int Version,
    DateTimeOffset AdmittedAt,
    DateTimeOffset UpdatedAt);
