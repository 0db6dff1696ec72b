namespace Marketplace.Contracts.Pricing;

/// <summary>A quote's validity ran out before it was accepted.</summary>
public sealed record QuoteExpired(Guid QuoteId, Guid OrderId, DateTimeOffset ExpiredAt);
