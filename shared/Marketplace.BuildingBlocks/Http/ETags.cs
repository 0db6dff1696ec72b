using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Marketplace.BuildingBlocks.Http;

/// <summary>Optimistic concurrency over HTTP: the ETag is the row's integer version.</summary>
public static class ETags
{
    public static string For(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    public static void Set(HttpContext context, int version) => context.Response.Headers.ETag = For(version);

    /// <summary>The version the caller's <c>If-Match</c> names; null when absent or <c>*</c>, -1 when unreadable.</summary>
    public static int? IfMatch(HttpRequest request)
    {
        var value = request.Headers.IfMatch.ToString().Trim();
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
