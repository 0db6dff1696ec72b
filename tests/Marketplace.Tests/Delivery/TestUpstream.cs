using Marketplace.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Marketplace.Tests.Delivery;

/// <summary>
/// A provider's API for the data plane to forward to: a real Kestrel server on 127.0.0.1 that answers what it was
/// asked — method, path, query and the headers that matter — with a record count header; <c>/v1/slow</c> answers
/// after 5 s, <c>/v1/broken</c> with 500.
/// </summary>
public sealed class TestUpstream : IAsyncDisposable
{
    private LoopbackServer server = null!;

    public int Calls;

    public string Url => server.Url;

    public static async Task<TestUpstream> StartAsync()
    {
        var upstream = new TestUpstream();
        upstream.server = await LoopbackServer.StartAsync(app => app.Run(upstream.AnswerAsync));
        return upstream;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        Interlocked.Increment(ref Calls);
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
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();
}

public sealed record Echo(string Method, string Path, string Query, string Host, string? Token, string? ApiKey, string? Authorization, string? Cookie);
