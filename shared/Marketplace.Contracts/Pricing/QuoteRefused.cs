namespace Marketplace.Contracts.Pricing;

/// <summary>Pricing could not quote the order; <paramref name="Reason"/> is a stable code (e.g. <c>trial-already-used</c>).</summary>
public sealed record QuoteRefused(Guid RequestId, Guid OrderId, string Reason, string Message, DateTimeOffset RefusedAt);
