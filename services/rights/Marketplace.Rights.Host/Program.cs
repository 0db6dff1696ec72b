using Marketplace.BuildingBlocks.Hosting;
using Marketplace.Rights;

// The rights service alone in its own process.
await MarketplaceHost.RunAsync(args, RightsModule.Name, RightsModule.Service);
