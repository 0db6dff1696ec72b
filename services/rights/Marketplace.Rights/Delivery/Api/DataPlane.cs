using System.Globalization;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Marketplace.Rights.Delivery.Keys;
using Marketplace.Rights.Delivery.Usage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Marketplace.Rights.Delivery.Api;

/// <summary>
/// The data plane: <c>/rights/delivery/api/{licenceId}/{path}</c>, any method, authenticated by the licence's API key
/// in <c>X-Api-Key</c> (no bearer token). In order: the key (genuine, unrevoked, unexpired, of this licence); the
/// rules at delivery (<see cref="DeliveryGate"/>); the product's upstream; the licence's scope (method, a plain path
/// under one of the prefixes: no dot segments, backslashes or percent signs, so nothing can step outside them or be
/// decoded into something else upstream); its rate (429 with <c>Retry-After</c>) and quota (429 naming the limit).
/// Then YARP's forwarder sends it to the upstream's fixed base URL — the key and any cookie or bearer token stripped, the
/// provider's credential injected, the Host taken from the base URL — and streams the answer back; an upstream that
/// fails is a 502 problem, one slower than <c>Rights:Delivery:UpstreamTimeout</c> a 504. Every call is counted.
/// </summary>
internal static class DataPlane
{
    public const string KeyHeader = "X-Api-Key";

    public static async Task<IResult> Handle(
        Guid licenceId, HttpContext http, ApiKeys keys, DeliveryGate gate, ApiSources sources, DataPlaneLimits limits, IHttpForwarder forwarder,
        UpstreamClient upstream, DeliveryRecorder recorder, IOptions<DeliverySettings> options, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var ct = http.RequestAborted;
        var key = await keys.AuthenticateAsync(http.Request.Headers[KeyHeader].ToString(), now, ct);
        if (key is null)
        {
            http.Response.Headers.WWWAuthenticate = "ApiKey header=\"X-Api-Key\"";
            return Refuse(StatusCodes.Status401Unauthorized, "key-invalid", "Send the licence's API key in X-Api-Key: a key that is genuine, unrevoked and unexpired.");
        }

        if (key.LicenceId != licenceId)
        {
            return Refuse(StatusCodes.Status403Forbidden, "key-not-for-licence", "The key belongs to another licence.");
        }

        var decision = await gate.CheckAsync(licenceId, DeliveryMethod.Api, ct);
        if (decision is null)
        {
            return Problems.NotFound("The licence");
        }

        if (decision.Refusal is { } refusal)
        {
            return refusal.ToProblem();
        }

        var source = await sources.ForDeliveryAsync(decision.Licence.ProductId, ct);
        if (source is null)
        {
            return Refuse(StatusCodes.Status409Conflict, "api-not-configured", "The provider has not set up the product's API upstream yet.");
        }

        var path = Remainder(http.Request.Path.Value!, licenceId);
        if (!DataPlanePath.IsPlain(path) || !DataPlanePath.IsUnder(path, source.PrefixList))
        {
            return Refuse(StatusCodes.Status403Forbidden, "path-not-licensed", $"The licence reaches only {string.Join(", ", source.PrefixList)} (plain paths, no '.', '..', '\\' or '%').");
        }

        if (!source.MethodList.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase))
        {
            http.Response.Headers.Allow = string.Join(", ", source.MethodList);
            return Refuse(StatusCodes.Status405MethodNotAllowed, "method-not-licensed", $"The licence allows {string.Join(", ", source.MethodList)}.");
        }

        // The rate first: a call refused for the rate takes nothing of the quota.
        var l = decision.Licence;
        if (!limits.TryTake(licenceId))
        {
            recorder.Refused(l.Id, l.LicenseeId, l.ProductId, now);
            http.Response.Headers.RetryAfter = "1";
            return Refuse(StatusCodes.Status429TooManyRequests, "rate-limited", $"At most {limits.RequestsPerSecond} calls a second under one licence.",
                new() { ["limit"] = limits.RequestsPerSecond });
        }

        if (l.UsageLimit is { } quota && !await limits.TryUseAsync(licenceId, quota, ct))
        {
            recorder.Refused(l.Id, l.LicenseeId, l.ProductId, now);
            return Refuse(StatusCodes.Status429TooManyRequests, "quota-spent", $"The licence's quota of {quota} calls is spent.", new() { ["limit"] = quota });
        }

        var credential = source.Credential is null ? null : sources.Unprotect(source.Credential);
        var error = await forwarder.SendAsync(
            http, source.BaseUrl, upstream.Invoker, new ForwarderRequestConfig { ActivityTimeout = options.Value.UpstreamTimeout },
            new Transformer(source.CredentialHeader, credential, path));
        if (error != ForwarderError.None && !http.Response.HasStarted)
        {
            var timedOut = error == ForwarderError.RequestTimedOut;
            recorder.Refused(l.Id, l.LicenseeId, l.ProductId, now, timedOut ? 504 : 502);
            return Refuse(timedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway, timedOut ? "upstream-timeout" : "upstream-failed",
                timedOut ? $"The provider's API did not answer within {options.Value.UpstreamTimeout}." : $"The provider's API could not be reached ({error}).");
        }

        var records = source.RecordsHeader is { } header
            && long.TryParse(http.Response.Headers[header].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
        recorder.Called(l.Id, l.LicenseeId, l.ProductId, now, http.Response.StatusCode, records, http.Response.ContentLength ?? 0);
        return TypedResults.Empty;
    }

    /// <summary>The path after <c>/rights/delivery/api/{licenceId}</c> (kept encoded as it came: '%' is refused, not decoded).</summary>
    private static string Remainder(string requestPath, Guid licenceId)
    {
        var marker = $"/delivery/api/{licenceId:D}";
        var at = requestPath.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        var rest = at < 0 ? "" : requestPath[(at + marker.Length)..];
        return rest.Length == 0 ? "/" : rest;
    }

    private static IResult Refuse(int status, string reason, string detail, Dictionary<string, object?>? more = null)
    {
        var extensions = more ?? [];
        extensions["reason"] = reason;
        return TypedResults.Problem(detail, statusCode: status, extensions: extensions);
    }

    /// <summary>Copies the request as YARP does, then: the key and the caller's own credentials out, the provider's in, the URL fixed.</summary>
    private sealed class Transformer(string? credentialHeader, string? credential, string path) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(
            HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            foreach (var header in new[] { KeyHeader, "Authorization", "Cookie", "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto" })
            {
                proxyRequest.Headers.Remove(header);
            }

            if (credentialHeader is not null && credential is not null)
            {
                proxyRequest.Headers.Remove(credentialHeader);
                proxyRequest.Headers.TryAddWithoutValidation(credentialHeader, credential);
            }

            proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, new PathString(path), httpContext.Request.QueryString);
            proxyRequest.Headers.Host = null;
        }
    }
}

/// <summary>The data plane's one connection pool to upstreams: no proxy, no redirects followed, no cookies, no decompression.</summary>
public sealed class UpstreamClient : IDisposable
{
    public HttpMessageInvoker Invoker { get; } = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = new ReverseProxyPropagator(System.Diagnostics.DistributedContextPropagator.Current),
    });

    public void Dispose() => Invoker.Dispose();
}
