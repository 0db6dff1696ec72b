using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Marketplace.BuildingBlocks.Http;

/// <summary>Optimistic concurrency over HTTP: the ETag is the row's integer version.</summary>
public static class ETags
{
    public static string For(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    public static void Set(HttpContext context, int version) => context.Response.Headers.ETag = For(version);

    /// <summary>The version the caller's <c>If-Match</c> names; null when absent or <c>*</c>, -1 when unreadable.</summary>
    public static int? IfMatch(HttpRequest request) => Version(request.Headers.IfMatch.ToString());

    /// <summary>The version the caller's <c>If-None-Match</c> names (the one it already has); null when absent or <c>*</c>, -1 when unreadable.</summary>
    public static int? IfNoneMatch(HttpRequest request) => Version(request.Headers.IfNoneMatch.ToString());

    private static int? Version(string header)
    {
        var value = header.Trim();
        if (value.Length == 0 || value == "*")
        {
            return null;
        }

        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }

        return int.TryParse(value.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;
    }
}
