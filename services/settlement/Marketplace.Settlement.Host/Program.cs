using Marketplace.BuildingBlocks.Hosting;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Settlement;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarketplaceDefaults(SettlementModule.Name);
builder.AddSettlement();
builder.AddMarketplaceBus();

var app = builder.Build();
app.UseMarketplaceDefaults();
app.MapSettlement();
await app.RunMarketplaceAsync(args);
