using Marketplace.Contracts.Pricing;

namespace Marketplace.Contracts.Rights;

/// <summary>
/// Settlement, once a trade settled, asks rights to grant the licence (授权许可): a bounded processing-and-use right,
/// never the holding right, not transferable. The term starts at <paramref name="SettledAt"/>. Answered by
/// <see cref="LicenceIssued"/> or <see cref="LicenceRefused"/>.
/// </summary>
public sealed record IssueLicence(
    Guid OrderId,
    Guid LicenseeId,
    Guid ProductId,
    Guid PlanId,
    string Purpose,
    TermUnit TermUnit,
    int TermLength,
    long? UsageLimit,
    bool Exclusive,
    DateTimeOffset SettledAt);
