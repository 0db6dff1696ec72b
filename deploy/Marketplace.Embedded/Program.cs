using Marketplace.BuildingBlocks.Hosting;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Catalog;
using Marketplace.Pricing;
using Marketplace.Rights;
using Marketplace.Settlement;

// The whole marketplace in one process: the same "add me" / "map me" entry points the service hosts call.
var builder = WebApplication.CreateBuilder(args);
builder.AddMarketplaceDefaults("marketplace");
builder.AddCatalog();
builder.AddRights();
builder.AddPricing();
builder.AddSettlement();
builder.AddMarketplaceBus();

var app = builder.Build();
app.UseMarketplaceDefaults();
app.MapCatalog();
app.MapRights();
app.MapPricing();
app.MapSettlement();
await app.RunMarketplaceAsync(args);

/// <summary>The embedded host's entry point (tests start it in-process through WebApplicationFactory).</summary>
public partial class Program;
