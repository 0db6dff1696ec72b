using Marketplace.BuildingBlocks.Hosting;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Catalog.Certificates;
using Marketplace.Catalog.Participants;
using Marketplace.Catalog.Products;
using Marketplace.Catalog.Search;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Catalog;

/// <summary>The catalog service's two entry points, called by its own host and by the embedded host alike.</summary>
public static class CatalogModule
{
    public const string Name = "catalog";

    /// <summary>The two entry points together, for <see cref="MarketplaceHost"/>.</summary>
    public static readonly ServiceModule Service = new(b => b.AddCatalog(), a => a.MapCatalog());

    public static WebApplicationBuilder AddCatalog(this WebApplicationBuilder builder)
    {
        builder.AddMarketplaceService(configuration => new CatalogDb(configuration));
        builder.AddConsumers(bus =>
        {
            bus.AddServiceConsumer<RecordPlanPriceConsumer>();
            bus.AddServiceConsumer<RecordCertificateConsumer>();
        });
        builder.AddPerCallerRateLimit(SearchProducts.RateLimitPolicy, "Catalog:Search:RequestsPerSecond", 20);
        return builder;
    }

    public static WebApplication MapCatalog(this WebApplication app)
    {
        var api = app.MapServiceApi<CatalogDb>(Name);
        api.MapParticipants();
        api.MapProducts();
        api.MapSearch();
        api.MapCertificates();
        return app;
    }
}
