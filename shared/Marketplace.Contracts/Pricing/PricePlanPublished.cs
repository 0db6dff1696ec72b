namespace Marketplace.Contracts.Pricing;

/// <summary>
/// A provider published a price plan, or a new revision of one. <paramref name="FromPrice"/> is the plan's entry
/// price in minor units (the one-off or per-period price, the first tier's unit price, 0 when free or a trial), the
/// figure catalog keeps to show a product's cheapest price.
/// </summary>
public sealed record PricePlanPublished(
    Guid PlanId,
    Guid ProductId,
    int Revision,
    PlanKind Kind,
    string Name,
    string Currency,
    long FromPrice,
    DateTimeOffset PublishedAt);
