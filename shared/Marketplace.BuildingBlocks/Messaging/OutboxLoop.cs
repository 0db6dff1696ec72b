using Marketplace.BuildingBlocks.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>
/// Runs a service's outbox dispatcher for the life of the host: a round right after each commit that wrote outbox rows, or
/// after the poll interval; back to back while full batches keep coming. When the host stops, the rows still waiting
/// in memory are released, so whoever dispatches next publishes them without waiting for their lease to end.
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
        try
        {
            await RunRoundsAsync(stoppingToken);
        }
        finally
        {
            await ReleaseHandedOverAsync();
        }
    }

    /// <summary>The host stops: rows handed over but not published are left for the next dispatcher to claim at once.</summary>
    private async Task ReleaseHandedOverAsync()
    {
        try
        {
            await dispatcher.ReleaseHandedOverAsync();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Releasing the unpublished outbox rows of {Schema} failed; they are claimed when their lease ends", db.Schema);
        }
    }

    private async Task RunRoundsAsync(CancellationToken stoppingToken)
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
