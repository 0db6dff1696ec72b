using Marketplace.BuildingBlocks.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>
/// Runs a service's outbox dispatcher for the life of the host: a round right after each commit that wrote outbox rows,
/// when published rows are due to be marked sent, or after the poll interval; back to back while full batches keep
/// coming. When the host stops, published rows are marked and the rows still waiting in memory are released, so whoever
/// dispatches next publishes them without waiting for their lease to end.
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
            await MarkAndReleaseAsync();
        }
    }

    /// <summary>
    /// The host stops: published rows are marked sent, and rows handed over but not published are left for the next
    /// dispatcher to claim at once.
    /// </summary>
    private async Task MarkAndReleaseAsync()
    {
        // Each on its own: a failed mark must not keep the unpublished rows leased.
        await AtStopAsync(dispatcher.MarkPublishedAsync, "Marking the published outbox rows");
        await AtStopAsync(dispatcher.ReleaseHandedOverAsync, "Releasing the unpublished outbox rows");
    }

    private async Task AtStopAsync(Func<Task<int>> step, string what)
    {
        try
        {
            await step();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "{What} of {Schema} at stop failed; they are claimed when their lease ends", what, db.Schema);
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
                    var untilMarks = dispatcher.MarksDue - time.GetUtcNow();
                    var wait = untilMarks < settings.PollInterval ? untilMarks : settings.PollInterval;
                    await db.Outbox.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
