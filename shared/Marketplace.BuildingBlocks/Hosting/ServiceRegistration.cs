using System.Reflection;
using FluentValidation;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.BuildingBlocks.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Marketplace.BuildingBlocks.Hosting;

/// <summary>What each service's "add me" / "map me" calls to plug itself into a host, alone or with the others.</summary>
public static class ServiceRegistration
{
    /// <summary>
    /// Registers a service's database, its migrations (run at start unless <c>Database:MigrateOnStartup</c> is
    /// false), its group committer (<c>Database:GroupCommit:MaxBatch</c>, default 64), its outbox dispatcher, its inbox,
    /// its readiness check, its validators and its OpenAPI document.
    /// </summary>
    public static WebApplicationBuilder AddMarketplaceService<TDb>(
        this WebApplicationBuilder builder, Func<IConfiguration, TDb> createDb)
        where TDb : ServiceDb
    {
        var db = createDb(builder.Configuration);
        var serviceAssembly = typeof(TDb).Assembly;
        builder.Services.AddSingleton(_ => db); // a factory, so the container disposes it (closing its pooled connections)
        builder.Services.AddSingleton<IServiceMigrator>(sp =>
            new ServiceMigrator(db, serviceAssembly, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, MigrationsOnStartup>());
        var maxBatch = builder.Configuration.GetValue("Database:GroupCommit:MaxBatch", 64);
        builder.Services.TryAddSingleton<GroupCommitTelemetry>();
        builder.Services.AddSingleton(sp => new GroupCommitter<TDb>(
            db, sp.GetRequiredService<ILogger<GroupCommitter<TDb>>>(), maxBatch, sp.GetRequiredService<GroupCommitTelemetry>()));
        builder.Services.AddSingleton<Inbox<TDb>>();
        builder.Services.AddSingleton<OutboxDispatcher<TDb>>();
        builder.Services.AddHostedService<OutboxLoop<TDb>>();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"{db.Schema}-database",
            _ => new DatabaseHealthCheck(db),
            HealthStatus.Unhealthy,
            ["ready"],
            TimeSpan.FromSeconds(5)));
        builder.Services.AddValidatorsFromAssembly(serviceAssembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        builder.Services.AddSingleton(new ApiName(db.Schema));
        builder.Services.AddOpenApi(db.Schema, options => options.ShouldInclude = d => d.GroupName == db.Schema);
        return builder;
    }

    /// <summary>
    /// The route group every endpoint of a service hangs from: prefixed with the service name (so the embedded
    /// host and the gateway expose the same paths), in the service's OpenAPI document, authenticated, a participant's
    /// writes refused unless it is active (<see cref="ActiveParticipantFilter"/>, before the body is validated),
    /// validated; with the operators' view of the messages its consumers gave up on.
    /// </summary>
    public static RouteGroupBuilder MapServiceApi<TDb>(this IEndpointRouteBuilder app, string service)
        where TDb : ServiceDb
    {
        var api = app.MapGroup("/" + service)
            .WithGroupName(service)
            .WithTags(service)
            .AddEndpointFilter(new ActiveParticipantFilter(app.ServiceProvider.GetRequiredService<TDb>()))
            .AddEndpointFilterFactory(ValidationFilter.Factory)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization();
        if (app.ServiceProvider.GetService<TimeProvider>() is DevClock clock)
        {
            DevClock.Map(api, clock);
        }

        api.MapFailedMessages(service, app.ServiceProvider.GetRequiredService<TDb>(), app.ServiceProvider.GetRequiredService<GroupCommitter<TDb>>());
        return api;
    }

    internal static string[] ApiNames(IServiceProvider services) =>
        [.. services.GetServices<ApiName>().Select(a => a.Name)];

    private sealed record ApiName(string Name);

    private sealed class DatabaseHealthCheck(ServiceDb db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                await using var connection = await db.OpenAsync(ct);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                await command.ExecuteScalarAsync(ct);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy($"The {db.Schema} database ({db.Provider}) is unreachable.", ex);
            }
        }
    }
}
