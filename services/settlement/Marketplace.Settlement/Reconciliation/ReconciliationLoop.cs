using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marketplace.Settlement.Reconciliation;

/// <summary>Reconciles the ledger continuously, every <c>Settlement:Reconciliation:Interval</c> (default 5 minutes).</summary>
public sealed class ReconciliationLoop(Reconciler reconciler, TimeProvider time, IConfiguration configuration, ILogger<ReconciliationLoop> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("Settlement:Reconciliation:Interval", TimeSpan.FromMinutes(5));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken);
                await reconciler.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Ledger reconciliation could not run; trying again next interval");
            }
        }
    }
}
