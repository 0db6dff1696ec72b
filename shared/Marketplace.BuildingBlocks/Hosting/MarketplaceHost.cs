using Marketplace.BuildingBlocks.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.BuildingBlocks.Hosting;

/// <summary>One service's two entry points, as a host composes them.</summary>
public sealed record ServiceModule(Action<WebApplicationBuilder> Add, Action<WebApplication> Map);

/// <summary>
/// Every host's program: the defaults, each service's "add me", the one bus, then each service's "map me".
/// The service hosts pass one module, the embedded host all four — the wiring cannot drift apart.
/// </summary>
public static class MarketplaceHost
{
    /// <summary>
    /// Runs the host; with <c>--migrate-only</c> it applies every service's migrations and exits instead
    /// (the separate production step, run with the schema owner's rights).
    /// </summary>
    public static async Task RunAsync(string[] args, string name, params ServiceModule[] modules)
    {
        if (args is ["--probe", var url])
        {
            Environment.Exit(await ProbeAsync(url));
        }

        var builder = WebApplication.CreateBuilder(args);
        builder.AddMarketplaceDefaults(name);
        foreach (var module in modules)
        {
            module.Add(builder);
        }

        builder.AddMarketplaceBus();
        var app = builder.Build();
        app.UseMarketplaceDefaults();
        foreach (var module in modules)
        {
            module.Map(app);
        }

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

    /// <summary>
    /// <c>--probe URL</c>: GETs the URL and exits 0 on success — the container health check, since the runtime image
    /// has no shell or curl.
    /// </summary>
    public static async Task<int> ProbeAsync(string url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(4) };
        try
        {
            using var response = await client.GetAsync(new Uri(url));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
