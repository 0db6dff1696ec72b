using Marketplace.BuildingBlocks.Hosting;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Settlement.Accounts;
using MassTransit;
using Microsoft.AspNetCore.Builder;

namespace Marketplace.Settlement;

/// <summary>The settlement service's two entry points, called by its own host and by the embedded host alike.</summary>
public static class SettlementModule
{
    public const string Name = "settlement";

    /// <summary>The two entry points together, for <see cref="MarketplaceHost"/>.</summary>
    public static readonly ServiceModule Service = new(b => b.AddSettlement(), a => a.MapSettlement());

    public static WebApplicationBuilder AddSettlement(this WebApplicationBuilder builder)
    {
        builder.AddMarketplaceService(configuration => new SettlementDb(configuration));
        builder.AddConsumers(bus =>
            bus.AddConsumer<OpenParticipantAccountsConsumer, OpenParticipantAccountsConsumerDefinition>());
        return builder;
    }

    public static WebApplication MapSettlement(this WebApplication app)
    {
        var api = app.MapServiceApi(Name);
        api.MapAccounts();
        return app;
    }
}
