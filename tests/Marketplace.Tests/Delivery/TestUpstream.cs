using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Tests.Delivery;

/// <summary>
/// A provider's API for the data plane to forward to: a real Kestrel server on 127.0.0.1 that answers what it was
/// asked — method, path, query and the headers that matter — with a record count header; <c>/v1/slow</c> answers
/// after 5 s, <c>/v1/broken</c> with 500.
/// </summary>
public sealed class TestUpstream : IAsyncDisposable
{
    private readonly WebApplication app;

    private TestUpstream(WebApplication app, string url)
    {
        this.app = app;
        Url = url;
    }

    public string Url { get; }

    public int Calls;

    public static async Task<TestUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        TestUpstream? upstream = null;
        app.Run(async context =>
        {
            Interlocked.Increment(ref upstream!.Calls);
            if (context.Request.Path.Value!.EndsWith("/slow", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
            }

            if (context.Request.Path.Value.EndsWith("/broken", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 500;
                return;
            }

            string? Header(string name) => context.Request.Headers.TryGetValue(name, out var v) ? v.ToString() : null;
            context.Response.Headers["X-Record-Count"] = "42";
            await context.Response.WriteAsJsonAsync(new Echo(
                context.Request.Method, context.Request.Path.Value, context.Request.QueryString.Value ?? "", context.Request.Host.Value!,
                Header("X-Upstream-Token"), Header("X-Api-Key"), Header("Authorization"), Header("Cookie")));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        upstream = new TestUpstream(app, address);
        return upstream;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

public sealed record Echo(string Method, string Path, string Query, string Host, string? Token, string? ApiKey, string? Authorization, string? Cookie);
