using Marketplace.BuildingBlocks.Hosting;
using Marketplace.Catalog.Participants;
using Marketplace.Catalog.Products;
using Microsoft.AspNetCore.Builder;

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
        return builder;
    }

    public static WebApplication MapCatalog(this WebApplication app)
    {
        var api = app.MapServiceApi(Name);
        api.MapParticipants();
        api.MapProducts();
        return app;
    }
}
