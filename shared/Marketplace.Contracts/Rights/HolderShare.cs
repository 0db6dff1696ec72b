namespace Marketplace.Contracts.Rights;

/// <summary>One rights holder of a product and its share of the proceeds, in basis points (all holders sum to 10,000).</summary>
public sealed record HolderShare(Guid HolderId, int ShareBps);
