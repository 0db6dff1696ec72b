using Marketplace.BuildingBlocks.Hosting;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Pricing;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarketplaceDefaults(PricingModule.Name);
builder.AddPricing();
builder.AddMarketplaceBus();

var app = builder.Build();
app.UseMarketplaceDefaults();
app.MapPricing();
await app.RunMarketplaceAsync(args);
