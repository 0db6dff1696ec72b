namespace Marketplace.Contracts.Settlement;

/// <summary>
/// A trade settled: the buyer paid <paramref name="Amount"/> (before tax) for <paramref name="Quantity"/> of the
/// product under the quoted plan. Pricing keeps these as the comparables for market valuation and price guidance;
/// rights issues the licence.
/// </summary>
public sealed record TradeSettled(
    Guid OrderId,
    Guid QuoteId,
    Guid BuyerId,
    Guid ProductId,
    Guid PlanId,
    long Quantity,
    string Currency,
    long Amount,
    DateTimeOffset SettledAt);
