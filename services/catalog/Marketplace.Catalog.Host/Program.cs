using Marketplace.BuildingBlocks.Hosting;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Catalog;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarketplaceDefaults(CatalogModule.Name);
builder.AddCatalog();
builder.AddMarketplaceBus();

var app = builder.Build();
app.UseMarketplaceDefaults();
app.MapCatalog();
await app.RunMarketplaceAsync(args);
