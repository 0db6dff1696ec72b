using Marketplace.BuildingBlocks.Hosting;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Pricing.Participants;
using MassTransit;
using Microsoft.AspNetCore.Builder;

namespace Marketplace.Pricing;

/// <summary>The pricing service's two entry points, called by its own host and by the embedded host alike.</summary>
public static class PricingModule
{
    public const string Name = "pricing";

    /// <summary>The two entry points together, for <see cref="MarketplaceHost"/>.</summary>
    public static readonly ServiceModule Service = new(b => b.AddPricing(), a => a.MapPricing());

    public static WebApplicationBuilder AddPricing(this WebApplicationBuilder builder)
    {
        builder.AddMarketplaceService(configuration => new PricingDb(configuration));
        builder.AddConsumers(bus => bus.AddConsumer<RecordParticipantConsumer, RecordParticipantConsumerDefinition>());
        return builder;
    }

    public static WebApplication MapPricing(this WebApplication app)
    {
        app.MapServiceApi(Name);
        return app;
    }
}
