using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Marketplace.BuildingBlocks.Hosting;

/// <summary>
/// Headers on every response, set as it starts (when its content type is known): no MIME sniffing, no referrer, and
/// <c>Cache-Control: no-store</c> unless the endpoint chose its own caching — nearly every answer carries balances,
/// statements, tokens, credentials or someone's orders, and a shared cache must keep none of them. HTML (the API
/// browser) also gets a Content-Security-Policy that loads nothing from elsewhere and may not be framed. Kestrel's
/// <c>Server</c> header is switched off where Kestrel is configured; HSTS is added in Production over HTTPS.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>What HTML may load: its own scripts and styles (the API browser's inline configuration too), nothing else, never framed.</summary>
    public const string HtmlPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(Apply, context);
        return next(context);
    });

    private static Task Apply(object state)
    {
        var response = ((HttpContext)state).Response;
        var headers = response.Headers;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (!headers.ContainsKey(HeaderNames.CacheControl))
        {
            headers.CacheControl = "no-store";
        }

        if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
        {
            headers.ContentSecurityPolicy = HtmlPolicy;
            headers.XFrameOptions = "DENY";
        }

        return Task.CompletedTask;
    }
}
