namespace Marketplace.Contracts.Catalog;

/// <summary>
/// An operator approved a product's revision and it is visible to buyers: first listing (<paramref name="Revision"/> 1
/// or later) or an approved revision of a listed product (<see cref="ProductRevised"/> is then published instead).
/// Carries what rights, pricing and settlement decide on, including the SHA-256 of the listed revision's data manifest
/// (the evidence a rights registration must match).
/// </summary>
public sealed record ProductListed(
    Guid ProductId,
    Guid OwnerId,
    int Revision,
    string Title,
    string Category,
    DataSubject Subject,
    DataGrade Grade,
    IReadOnlyList<DeliveryMethod> DeliveryMethods,
    bool RequiresManualApproval,
    bool ExclusiveAllowed,
    string ManifestSha256,
    int Version,
    DateTimeOffset ListedAt);
