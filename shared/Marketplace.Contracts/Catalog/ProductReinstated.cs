namespace Marketplace.Contracts.Catalog;

/// <summary>An operator lifted a product's suspension.</summary>
public sealed record ProductReinstated(Guid ProductId, int Version, DateTimeOffset ReinstatedAt);
