using Marketplace.BuildingBlocks.Hosting;
using Marketplace.Settlement;

// The settlement service alone in its own process.
await MarketplaceHost.RunAsync(args, SettlementModule.Name, SettlementModule.Service);
