using Marketplace.BuildingBlocks.Signing;
using Marketplace.BuildingBlocks.Hosting;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Rights.Access;
using Marketplace.Rights.Calendar;
using Marketplace.Rights.Certificates;
using Marketplace.Rights.Delivery;
using Marketplace.Rights.Licences;
using Marketplace.Rights.Participants;
using Marketplace.Rights.Products;
using Marketplace.Rights.Registrations;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

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
        builder.AddValidatedOptions<RightsOptions>("Rights");
        builder.AddExchangeSigner<RightsDb>("Rights:Certificates:SigningKey");
        builder.Services.AddSingleton<CertificateIssuer>();
        builder.Services.AddPeriodicWork<RightsClock>();
        builder.AddDelivery();
        builder.AddConsumers(bus =>
        {
            bus.AddServiceConsumer<RecordParticipantConsumer>();
            bus.AddServiceConsumer<RecordProductConsumer>();
            bus.AddServiceConsumer<DecideAccessConsumer>();
            bus.AddServiceConsumer<IssueLicenceConsumer>();
            bus.AddServiceConsumer<RevokeLicenceConsumer>();
            bus.AddServiceConsumer<ReleaseReservationConsumer>();
        });
        return builder;
    }

    public static WebApplication MapRights(this WebApplication app)
    {
        var api = app.MapServiceApi<RightsDb>(Name);
        api.MapRegistrations();
        api.MapCertificates();
        api.MapLicences();
        api.MapAccess();
        api.MapCalendar();
        api.MapDelivery();
        return app;
    }
}
