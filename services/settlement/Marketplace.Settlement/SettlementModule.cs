using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.BuildingBlocks.Signing;
using Marketplace.Settlement.Accounts;
using Marketplace.Settlement.Deposits;
using Marketplace.Settlement.Disputes;
using Marketplace.Settlement.Ledger;
using Marketplace.Settlement.Orders;
using Marketplace.Settlement.Participants;
using Marketplace.Settlement.Products;
using Marketplace.Settlement.Reconciliation;
using Marketplace.Settlement.Reports;
using Marketplace.Settlement.Statements;
using Marketplace.Settlement.Vouchers;
using Marketplace.Settlement.Withdrawals;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        builder.AddPerCallerRateLimit(PlaceOrder.RateLimitPolicy, "Settlement:Orders:RequestsPerSecond", 10);
        builder.Services.AddSingleton<OrderAdmission>();
        builder.Services.AddSingleton<Ledger.LedgerPoster>();
        builder.Services.AddSingleton<Holds>();
        builder.Services.AddPeriodicWork<Reconciler>();
        builder.Services.AddSingleton<TradeMoney>();
        builder.Services.AddSingleton<VoucherIssuer>();
        builder.Services.AddPeriodicWork<ProceedsRelease>();
        builder.AddValidatedOptions<SettlementOptions>("Settlement");
        builder.AddExchangeSigner<SettlementDb>("Settlement:Vouchers:SigningKey");
        builder.AddConsumers(bus =>
        {
            bus.AddServiceConsumer<RecordParticipantConsumer>();
            bus.AddServiceConsumer<RecordProductConsumer>();
            bus.AddServiceConsumer<OrderProgressConsumer>();
            bus.AddServiceConsumer<RecordLicenceStatusConsumer>();
        });
        return builder;
    }

    public static WebApplication MapSettlement(this WebApplication app)
    {
        var api = app.MapServiceApi<SettlementDb>(Name);
        api.MapAccounts();
        api.MapStatements();
        api.MapDeposits();
        api.MapWithdrawals();
        api.MapReconciliation();
        api.MapOrders();
        api.MapDisputes();
        api.MapVouchers();
        api.MapReports();
        return app;
    }
}
