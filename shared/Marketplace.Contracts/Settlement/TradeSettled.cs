namespace Marketplace.Contracts.Settlement;

/// <summary>
/// A trade settled and completed: the buyer paid <paramref name="Amount"/> (before tax) for <paramref name="Quantity"/>
/// of the product under the quoted plan, and its voucher names the licence <paramref name="LicenceId"/> (derived from the
/// order id) for <paramref name="Purpose"/> from <paramref name="SettledAt"/> to <paramref name="LicenceEndsAt"/>.
/// Rights issues that licence (or answers <see cref="Rights.LicenceRefused"/> and settlement refunds); pricing keeps the
/// trade as a comparable for valuation and price guidance.
/// </summary>
public sealed record TradeSettled(
    Guid OrderId,
    Guid QuoteId,
    Guid BuyerId,
    Guid SellerId,
    Guid ProductId,
    Guid PlanId,
    long Quantity,
    string Currency,
    long Amount,
    Guid LicenceId,
    string Purpose,
    bool Exclusive,
    DateTimeOffset LicenceEndsAt,
    DateTimeOffset SettledAt);
