namespace Marketplace.Contracts.Rights;

/// <summary>The buyer may not have the product; <paramref name="Reason"/> is a stable code (e.g. <c>qualification-insufficient</c>).</summary>
public sealed record AccessRejected(Guid OrderId, Guid BuyerId, Guid ProductId, string Reason, string Message, DateTimeOffset DecidedAt);
