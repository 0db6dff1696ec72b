using Marketplace.BuildingBlocks.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>
/// Runs a service's outbox dispatcher for the life of the host: a round right after each commit that wrote outbox rows, or
/// after the poll interval; back to back while full batches keep coming.
/// </summary>
public sealed class OutboxLoop<TDb>(
    OutboxDispatcher<TDb> dispatcher,
    TDb db,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<OutboxLoop<TDb>> logger) : BackgroundService
    where TDb : ServiceDb
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            var published = 0;
            try
            {
                published = await dispatcher.DispatchPendingAsync(stoppingToken);
                await dispatcher.PurgeIfDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Outbox round for {Schema} failed; retrying after the poll interval", db.Schema);
            }

            if (published < settings.BatchSize)
            {
                try
                {
                    await db.Outbox.WaitAsync(settings.PollInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
