namespace Marketplace.Contracts.Catalog;

/// <summary>An operator delisted a product for good; licences already granted survive until their term ends.</summary>
public sealed record ProductDelisted(Guid ProductId, string Reason, int Version, DateTimeOffset DelistedAt);
