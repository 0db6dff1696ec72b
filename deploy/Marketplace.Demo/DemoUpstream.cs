using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Demo;

/// <summary>
/// The provider's own API, as the demo plays it: hourly traffic counts at <c>GET /v1/traffic/hourly?city=</c> on
/// 127.0.0.1, answering only callers that present the provider's credential (<see cref="Credential"/> in
/// <c>X-Upstream-Token</c>) — which buyers never see: the exchange's data plane injects it — and reporting the records
/// it returned in <c>X-Record-Count</c>.
/// </summary>
public sealed class DemoUpstream : IAsyncDisposable
{
    public const string Credential = "demo-upstream-credential-7f3a";

    private readonly WebApplication app;

    private DemoUpstream(WebApplication app, string url)
    {
        this.app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<DemoUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/v1/traffic/hourly", (HttpContext http, string? city) =>
        {
            if (http.Request.Headers["X-Upstream-Token"] != Credential)
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }

            var rows = Enumerable.Range(0, 24).Select(h => new { city = city ?? "上海", hour = h, count = 800 + (h * 37 % 500) }).ToArray();
            http.Response.Headers["X-Record-Count"] = rows.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Json(rows, JsonSerializerOptions.Web);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DemoUpstream(app, address);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
