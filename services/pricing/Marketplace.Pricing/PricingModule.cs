using Marketplace.BuildingBlocks.Hosting;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Pricing.Comparables;
using Marketplace.Pricing.Fees;
using Marketplace.Pricing.Participants;
using Marketplace.Pricing.Plans;
using Marketplace.Pricing.Products;
using Marketplace.Pricing.Quotes;
using Marketplace.Pricing.Valuation;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

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
        builder.Services.AddPeriodicWork<QuoteExpiry>();
        builder.AddValidatedOptions<PricingOptions>("Pricing");
        builder.AddConsumers(bus =>
        {
            bus.AddServiceConsumer<RecordParticipantConsumer>();
            bus.AddServiceConsumer<RecordProductConsumer>();
            bus.AddServiceConsumer<IssueQuoteConsumer>();
            bus.AddServiceConsumer<ReleaseTrialConsumer>();
            bus.AddServiceConsumer<RecordSettledTradeConsumer>();
            bus.AddServiceConsumer<RecordRefundedTradeConsumer>();
        });
        return builder;
    }

    public static WebApplication MapPricing(this WebApplication app)
    {
        var api = app.MapServiceApi<PricingDb>(Name);
        api.MapPlans();
        api.MapFees();
        api.MapQuotes();
        api.MapValuations();
        return app;
    }
}
