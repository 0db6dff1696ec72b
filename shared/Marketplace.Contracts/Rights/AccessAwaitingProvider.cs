namespace Marketplace.Contracts.Rights;

/// <summary>Every rule passed and the product asks for its provider's approval, which must come before <paramref name="Deadline"/>.</summary>
public sealed record AccessAwaitingProvider(Guid OrderId, Guid BuyerId, Guid ProductId, Guid ProviderId, DateTimeOffset Deadline, DateTimeOffset DecidedAt);
