namespace Marketplace.Contracts.Settlement;

/// <summary>
/// A buyer asked for a product under one of its plans. Rights (the access decision, and for an exclusive request the
/// reservation of exclusivity for this order) and pricing (the quote) answer it in parallel; settlement quotes the
/// buyer once both answers are in.
/// </summary>
public sealed record OrderPlaced(
    Guid OrderId,
    Guid BuyerId,
    Guid ProductId,
    Guid PlanId,
    long Quantity,
    string Purpose,
    bool Exclusive,
    DateTimeOffset PlacedAt);
