using System.Reflection;
using Marketplace.BuildingBlocks.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marketplace.BuildingBlocks.Hosting;

/// <summary>One service's migrations, as the host sees them.</summary>
public interface IServiceMigrator
{
    string Schema { get; }

    bool MigrateOnStartup { get; }

    Task MigrateAsync(CancellationToken ct);
}

internal sealed class ServiceMigrator(ServiceDb db, Assembly assembly, ILoggerFactory logs) : IServiceMigrator
{
    public string Schema => db.Schema;

    public bool MigrateOnStartup => db.Settings.MigrateOnStartup;

    public Task MigrateAsync(CancellationToken ct) =>
        new Migrator(db, assembly, logs.CreateLogger($"Marketplace.Migrations.{db.Schema}")).MigrateAsync(ct);
}

/// <summary>Applies every service's migrations before anything else in the host starts (dispatchers, bus, server).</summary>
internal sealed class MigrationsOnStartup(IEnumerable<IServiceMigrator> migrators) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        foreach (var migrator in migrators.Where(m => m.MigrateOnStartup))
        {
            await migrator.MigrateAsync(ct);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
