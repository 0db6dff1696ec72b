using Marketplace.Contracts.Rights;

namespace Marketplace.Contracts.Pricing;

/// <summary>
/// Settlement asks for a quote for an approved order: the plan, the quantity (terms, periods, units; 1 for free and
/// trial plans) and the holders with the shares the access decision carried. The quote's id is derived from
/// <paramref name="RequestId"/>, so asking twice yields one quote. Answered by <see cref="QuoteIssued"/> or
/// <see cref="QuoteRefused"/>.
/// </summary>
public sealed record IssueQuote(
    Guid RequestId,
    Guid OrderId,
    Guid BuyerId,
    Guid ProductId,
    Guid PlanId,
    long Quantity,
    IReadOnlyList<HolderShare> Holders);
