namespace Marketplace.Contracts.Catalog;

/// <summary>An approved revision replaced the listed one; existing licences keep the terms they were granted under.</summary>
public sealed record ProductRevised(
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
    DateTimeOffset RevisedAt);
