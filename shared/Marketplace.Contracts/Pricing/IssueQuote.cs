namespace Marketplace.Contracts.Pricing;

/// <summary>
/// Settlement asks for a fresh quote for an order whose first quote (the answer to
/// <see cref="Settlement.OrderPlaced"/>) lapsed while the provider was still deciding. The quote's id is derived from
/// <paramref name="RequestId"/>, so asking twice yields one quote. Answered by <see cref="QuoteIssued"/> or
/// <see cref="QuoteRefused"/>.
/// </summary>
public sealed record IssueQuote(Guid RequestId, Guid OrderId, Guid BuyerId, Guid ProductId, Guid PlanId, long Quantity);
