namespace Marketplace.Contracts.Catalog;

/// <summary>An operator admitted an organisation to the exchange (参与主体准入).</summary>
/// <param name="RegistrationCode">The unified social credit code for a mainland organisation; otherwise
/// <c>{ISO 3166 region}/{registration number}</c> where it is registered.</param>
/// <param name="Version">The participant's version after this change; later events carry higher ones.</param>
public sealed record ParticipantAdmitted(
    Guid ParticipantId,
    string Name,
    Jurisdiction Jurisdiction,
    string RegistrationCode,
    ParticipantRoles Roles,
    QualificationLevel? Qualification,
    int Version,
    DateTimeOffset AdmittedAt);
