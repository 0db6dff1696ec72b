using System.Collections.Concurrent;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Catalog;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marketplace.Benchmarks;

/// <summary>
/// The floors under a trade, measured on the machine the trade pipeline runs on: a unit of work through the group
/// committer on SQLite (WAL, <c>synchronous=FULL</c>, one row each), and a message's round trip (publish, consume,
/// publish the answer, consume it) over MassTransit's in-memory transport and over RabbitMQ with publisher confirms.
/// A trade is ~6 units of work in settlement's writer and 4 messages (2 round trips before the quote and acceptance's
/// event), so these bound what the pipeline can reach.
/// </summary>
internal static class LimitsBenchmark
{
    public static async Task RunAsync(int count, int concurrency, string rabbitMq)
    {
        Console.WriteLine($"Limits, {count} operations each, {concurrency} concurrent, {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"what",-52} {"per s",10} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}");
        await GroupCommitAsync(count, concurrency);
        await RoundTripAsync("bus round trip, in memory", count, concurrency, (cfg, _) => cfg.UsingInMemory((context, bus) => bus.ConfigureEndpoints(context)));
        try
        {
            await RoundTripAsync("bus round trip, RabbitMQ with publisher confirms", count, concurrency, (cfg, _) => cfg.UsingRabbitMq((context, bus) =>
            {
                bus.Host(new Uri(rabbitMq));
                bus.ConfigureEndpoints(context);
            }));
        }
        catch (Exception e) when (e is MassTransitException or RabbitMQ.Client.Exceptions.BrokerUnreachableException or TimeoutException)
        {
            Console.WriteLine($"{"bus round trip, RabbitMQ",-52} not measured: {e.GetType().Name} at {rabbitMq}");
        }
    }

    private static async Task GroupCommitAsync(int count, int concurrency)
    {
        var directory = Directory.CreateTempSubdirectory("marketplace-limits-").FullName;
        try
        {
            var db = new CatalogDb(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Sqlite",
                ["Database:SqliteDirectory"] = directory,
            }).Build());
            await using (var connection = await db.OpenAsync())
            {
                await Dapper.SqlMapper.ExecuteAsync(connection, "CREATE TABLE catalog.bench (id INTEGER PRIMARY KEY, value TEXT NOT NULL)");
            }

            var telemetry = new GroupCommitTelemetry(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
            await using var committer = new GroupCommitter<CatalogDb>(db, NullLogger<GroupCommitter<CatalogDb>>.Instance, telemetry: telemetry);
            var batches = 0L;
            using var listener = new System.Diagnostics.Metrics.MeterListener();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GroupCommitTelemetry.MeterName && instrument.Name.EndsWith("batch.units", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<int>((_, _, _, _) => Interlocked.Increment(ref batches));
            listener.Start();
            var elapsed = await MeasureAsync("group commit on SQLite, one row per unit", count, concurrency, i =>
                committer.RunAsync(uow => uow.ExecuteAsync("INSERT INTO catalog.bench (value) VALUES (@Value)", new { Value = $"row {i}" })));
            Console.WriteLine($"{"  commits (fsyncs) per s",-52} {batches / elapsed.TotalSeconds,10:F0}   ({(double)count / batches:F1} units per commit)");
            db.Dispose();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task RoundTripAsync(string name, int count, int concurrency, Action<IBusRegistrationConfigurator, IServiceProvider?> transport)
    {
        var waiting = new ConcurrentDictionary<Guid, TaskCompletionSource>();
        var services = new ServiceCollection();
        services.AddSingleton(waiting);
        services.AddMassTransit(cfg =>
        {
            cfg.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter("limits", includeNamespace: false));
            cfg.AddConsumer<PingConsumer>();
            cfg.AddConsumer<PongConsumer>();
            transport(cfg, null);
        });
        await using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IBusControl>();
        using var start = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await bus.StartAsync(start.Token);
        try
        {
            await MeasureAsync(name, count, concurrency, async _ =>
            {
                var id = Guid.NewGuid();
                var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waiting[id] = answered;
                await bus.Publish(new LimitsPing(id));
                await answered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            });
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<TimeSpan> MeasureAsync(string name, int count, int concurrency, Func<int, Task> operation)
    {
        var t = await Concurrent.RunAsync(count, concurrency, operation);
        Console.WriteLine($"{name,-52} {t.PerSecond,10:F0} {t.P(0.50),8:F2} {t.P(0.95),8:F2} {t.P(0.99),8:F2} {t.Max,8:F2}");
        return t.Elapsed;
    }

    public sealed class PingConsumer : IConsumer<LimitsPing>
    {
        public Task Consume(ConsumeContext<LimitsPing> context) => context.Publish(new LimitsPong(context.Message.Id));
    }

    public sealed class PongConsumer(ConcurrentDictionary<Guid, TaskCompletionSource> waiting) : IConsumer<LimitsPong>
    {
        public Task Consume(ConsumeContext<LimitsPong> context)
        {
            if (waiting.TryRemove(context.Message.Id, out var answered))
            {
                answered.TrySetResult();
            }

            return Task.CompletedTask;
        }
    }
}

public sealed record LimitsPing(Guid Id);

public sealed record LimitsPong(Guid Id);
