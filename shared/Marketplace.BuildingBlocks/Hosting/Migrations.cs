using System.Reflection;
using Marketplace.BuildingBlocks.Data;
using Microsoft.AspNetCore.Builder;
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

public static class HostRunner
{
    /// <summary>
    /// Runs the host; with <c>--migrate-only</c> it applies every service's migrations and exits instead
    /// (the separate production step, run with the schema owner's rights).
    /// </summary>
    public static async Task RunMarketplaceAsync(this WebApplication app, string[] args)
    {
        if (args.Contains("--migrate-only"))
        {
            foreach (var migrator in app.Services.GetServices<IServiceMigrator>())
            {
                await migrator.MigrateAsync(CancellationToken.None);
                app.Logger.LogInformation("Migrated schema {Schema}", migrator.Schema);
            }

            return;
        }

        await app.RunAsync();
    }
}
