namespace Marketplace.Contracts.Pricing;

/// <summary>
/// An immutable quote: <paramref name="Amount"/> (the plan's price for the quantity), the exchange's fee (deducted from
/// the holders' proceeds), the tax (VAT on the amount, paid by the buyer) and the <paramref name="Total"/> the buyer pays
/// (amount + tax). Pricing never splits proceeds: settlement splits amount − fee by the holders' shares. Valid until
/// <paramref name="ValidUntil"/>; the licence it buys runs <paramref name="TermLength"/> × <paramref name="TermUnit"/>.
/// </summary>
public sealed record QuoteIssued(
    Guid QuoteId,
    Guid RequestId,
    Guid OrderId,
    Guid BuyerId,
    Guid ProductId,
    Guid PlanId,
    int PlanRevision,
    PlanKind Kind,
    long Quantity,
    string Currency,
    long Amount,
    long ExchangeFee,
    long Tax,
    long Total,
    TermUnit TermUnit,
    int TermLength,
    DateTimeOffset IssuedAt,
    DateTimeOffset ValidUntil);
