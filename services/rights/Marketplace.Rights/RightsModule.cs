using Marketplace.BuildingBlocks.Hosting;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Rights.Participants;
using MassTransit;
using Microsoft.AspNetCore.Builder;

namespace Marketplace.Rights;

/// <summary>The rights service's two entry points, called by its own host and by the embedded host alike.</summary>
public static class RightsModule
{
    public const string Name = "rights";

    /// <summary>The two entry points together, for <see cref="MarketplaceHost"/>.</summary>
    public static readonly ServiceModule Service = new(b => b.AddRights(), a => a.MapRights());

    public static WebApplicationBuilder AddRights(this WebApplicationBuilder builder)
    {
        builder.AddMarketplaceService(configuration => new RightsDb(configuration));
        builder.AddConsumers(bus => bus.AddConsumer<RecordParticipantConsumer, RecordParticipantConsumerDefinition>());
        return builder;
    }

    public static WebApplication MapRights(this WebApplication app)
    {
        app.MapServiceApi(Name);
        return app;
    }
}
