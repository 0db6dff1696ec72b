using Marketplace.BuildingBlocks.Hosting;
using Marketplace.Pricing;

// The pricing service alone in its own process.
await MarketplaceHost.RunAsync(args, PricingModule.Name, PricingModule.Service);
