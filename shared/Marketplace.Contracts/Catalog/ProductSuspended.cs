namespace Marketplace.Contracts.Catalog;

/// <summary>An operator suspended a listed product: no new trades until reinstated.</summary>
public sealed record ProductSuspended(Guid ProductId, string Reason, int Version, DateTimeOffset SuspendedAt);
