using Marketplace.BuildingBlocks.Hosting;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Rights;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarketplaceDefaults(RightsModule.Name);
builder.AddRights();
builder.AddMarketplaceBus();

var app = builder.Build();
app.UseMarketplaceDefaults();
app.MapRights();
await app.RunMarketplaceAsync(args);
