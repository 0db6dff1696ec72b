namespace Marketplace.Contracts.Catalog;

/// <summary>An operator admitted an organisation to the exchange (参与主体准入).</summary>
public sealed record ParticipantAdmitted(
    Guid ParticipantId,
    string Name,
    Jurisdiction Jurisdiction,
    string RegistrationCode,
    ParticipantRoles Roles,
    QualificationLevel? Qualification,
    int Version,
    DateTimeOffset AdmittedAt);
