namespace Marketplace.Contracts.Pricing;

/// <summary>What one holder receives from a quoted trade, in minor units.</summary>
public sealed record HolderPayout(Guid HolderId, int ShareBps, long Amount);
