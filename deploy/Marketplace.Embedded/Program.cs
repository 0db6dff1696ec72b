using Marketplace.BuildingBlocks.Hosting;
using Marketplace.Catalog;
using Marketplace.Pricing;
using Marketplace.Rights;
using Marketplace.Settlement;

// The whole marketplace in one process: the same modules the service hosts run, one bus between them.
await MarketplaceHost.RunAsync(
    args, "marketplace", CatalogModule.Service, RightsModule.Service, PricingModule.Service, SettlementModule.Service);

/// <summary>The embedded host's entry point (tests start it in-process through WebApplicationFactory).</summary>
public partial class Program;
