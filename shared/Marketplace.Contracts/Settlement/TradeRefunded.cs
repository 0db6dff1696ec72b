namespace Marketplace.Contracts.Settlement;

/// <summary>Money went back to the buyer of a settled trade: <paramref name="Full"/> when all of it (the licence is then revoked).</summary>
public sealed record TradeRefunded(Guid OrderId, Guid BuyerId, Guid ProductId, string Currency, long Amount, bool Full, string Reason, DateTimeOffset RefundedAt);
