namespace Marketplace.Contracts.Rights;

/// <summary>A licence was granted for an order.</summary>
public sealed record LicenceIssued(
    Guid LicenceId,
    Guid OrderId,
    Guid LicenseeId,
    Guid ProductId,
    Guid ProviderId,
    Guid PlanId,
    string Purpose,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    long? UsageLimit,
    bool Exclusive,
    DateTimeOffset IssuedAt);
