namespace Marketplace.Settlement.Orders;

/// <summary>What one holder receives from a trade (the quote's amount less the exchange's fee, split by the shares rights' decision carried), in minor units.</summary>
public sealed record HolderPayout(Guid HolderId, int ShareBps, long Amount);
