using Marketplace.BuildingBlocks.Hosting;
using Marketplace.Catalog;

// The catalog service alone in its own process.
await MarketplaceHost.RunAsync(args, CatalogModule.Name, CatalogModule.Service);
