namespace Marketplace.Contracts.Catalog;

/// <summary>An operator changed a buyer's qualification level.</summary>
public sealed record ParticipantQualificationChanged(
    Guid ParticipantId,
    QualificationLevel Qualification,
    int Version,
    DateTimeOffset ChangedAt);
