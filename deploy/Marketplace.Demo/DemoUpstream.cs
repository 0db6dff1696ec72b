using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Marketplace.Demo;

/// <summary>
/// The provider's own API, as the demo plays it: hourly traffic counts at <c>GET /v1/traffic/hourly?city=</c> on
/// 127.0.0.1, answering only callers that present the provider's credential (<see cref="Credential"/> in
/// <c>X-Upstream-Token</c>) — which buyers never see: the exchange's data plane injects it — and reporting the records
/// it returned in <c>X-Record-Count</c>.
/// </summary>
public static class DemoUpstream
{
    public const string Credential = "demo-upstream-credential-7f3a";

    public static Task<LoopbackServer> StartAsync() => LoopbackServer.StartAsync(app => app.MapGet("/v1/traffic/hourly", (HttpContext http, string? city) =>
    {
        if (http.Request.Headers["X-Upstream-Token"] != Credential)
        {
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        var rows = Enumerable.Range(0, 24).Select(h => new { city = city ?? "上海", hour = h, count = 800 + (h * 37 % 500) }).ToArray();
        http.Response.Headers["X-Record-Count"] = rows.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Json(rows, JsonSerializerOptions.Web);
    }));
}
