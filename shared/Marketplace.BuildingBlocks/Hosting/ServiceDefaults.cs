using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.BuildingBlocks.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;

namespace Marketplace.BuildingBlocks.Hosting;

/// <summary>
/// The one place for what every host has: JWT auth and role policies, RFC 9457 ProblemDetails with a trace id,
/// request size limits, JSON with enums as strings, health endpoints, OpenTelemetry, structured logs, and (outside
/// Production) the development token issuer and the API browser.
/// </summary>
public static class ServiceDefaults
{
    /// <summary>Section <c>Http:MaxRequestBodyBytes</c>; bodies over it are refused with 413.</summary>
    public const long DefaultMaxRequestBodyBytes = 256 * 1024;

    /// <summary>Section <c>Http:MaxValidationErrors</c>: a validation problem lists at most this many errors.</summary>
    public const int DefaultMaxValidationErrors = 50;

    public static WebApplicationBuilder AddMarketplaceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        if (builder.Environment.IsProduction())
        {
            builder.Services.AddSingleton(TimeProvider.System);
        }
        else
        {
            var dev = builder.Configuration.GetSection("Dev").Get<DevSettings>() ?? new DevSettings();
            var data = builder.Configuration.GetSection("Database")["SqliteDirectory"] ?? "data";
            builder.Services.AddSingleton(sp => new DevClock(dev, data, sp.GetRequiredService<IHostEnvironment>()));
            builder.Services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<DevClock>());
        }
        var grace = ShutdownGrace.Read(builder.Configuration);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = grace);
        builder.Services.Configure<OutboxOptions>(builder.Configuration.GetSection("Messaging:Outbox"));
        (builder.Configuration.GetSection("Messaging:Outbox").Get<OutboxOptions>() ?? new OutboxOptions())
            .ThrowIfInvalid(builder.Environment.EnvironmentName);

        var maxBody = MaxRequestBodyBytes(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = maxBody;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.AddServerHeader = false;
        });

        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false)));
        var maxErrors = builder.Configuration.GetValue("Http:MaxValidationErrors", DefaultMaxValidationErrors);
        if (maxErrors < 1)
        {
            throw new InvalidOperationException($"Http:MaxValidationErrors must be at least 1, not {maxErrors}.");
        }

        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["traceId"] =
                System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            if (context.ProblemDetails is HttpValidationProblemDetails validation)
            {
                ValidationErrors.Bound(validation, maxErrors);
            }
        });
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        builder.AddMarketplaceAuth();
        builder.Services.AddValidatorsFromAssemblyContaining<Data.ServiceDb>(ServiceLifetime.Singleton, includeInternalTypes: true);
        builder.Services.AddRateLimiter(limits =>
        {
            limits.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limits.OnRejected = PerCallerRateLimit.OnRejected;
        });
        builder.Services.AddHealthChecks();

        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(json => json.IncludeScopes = true);
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddSource("MassTransit")
                .AddSource(OutboxTelemetry.Source.Name))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter("MassTransit")
                .AddMeter("Marketplace.*"));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>The largest request body the host accepts (<c>Http:MaxRequestBodyBytes</c>): Kestrel's limit and what cannot be drained.</summary>
    private static long MaxRequestBodyBytes(IConfiguration configuration) =>
        configuration.GetValue("Http:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes);

    public static WebApplication UseMarketplaceDefaults(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseCloseAfterUnreadLargeBodies(MaxRequestBodyBytes(app.Configuration));
        if (app.Environment.IsProduction())
        {
            app.UseHsts();
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", HealthResponse.Ready)
            .AllowAnonymous();

        // Each service's OpenAPI document sits under its own prefix (/catalog/openapi.json), so the gateway
        // routes it like any other path of that service.
        app.MapOpenApi("/{documentName}/openapi.json").AllowAnonymous();
        if (!app.Environment.IsProduction())
        {
            app.MapDevTokens();
        }

        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference("/docs", options => options
                .WithOpenApiRoutePattern("/{documentName}/openapi.json")
                .AddDocuments(ServiceRegistration.ApiNames(app.Services)))
                .AllowAnonymous();
        }

        return app;
    }
}
