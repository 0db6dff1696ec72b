using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marketplace.BuildingBlocks.Hosting;

/// <summary>
/// Work a service does on a timer rather than on a request: expiries, deadlines, reconciliation. Time-outs are
/// driven from the database this way, never by delayed messages (Debian's RabbitMQ has no delayed-message plugin).
/// <see cref="RunAsync"/> is also what tests call, after moving a fake <see cref="TimeProvider"/> forward.
/// </summary>
public interface IPeriodicWork
{
    TimeSpan Interval { get; }

    Task RunAsync(CancellationToken ct);
}

public static class PeriodicWork
{
    /// <summary>Registers <typeparamref name="T"/> as a singleton and runs it every <see cref="IPeriodicWork.Interval"/>.</summary>
    public static IServiceCollection AddPeriodicWork<T>(this IServiceCollection services)
        where T : class, IPeriodicWork
    {
        services.AddSingleton<T>();
        services.AddHostedService<PeriodicWorkLoop<T>>();
        return services;
    }
}

/// <summary>Runs one <see cref="IPeriodicWork"/> on the <see cref="TimeProvider"/>'s clock; a failed run is logged and retried next interval.</summary>
public sealed class PeriodicWorkLoop<T>(T work, TimeProvider time, ILogger<PeriodicWorkLoop<T>> logger) : BackgroundService
    where T : IPeriodicWork
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(work.Interval, time, stoppingToken);
                await work.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "{Work} could not run; trying again next interval", typeof(T).Name);
            }
        }
    }
}
