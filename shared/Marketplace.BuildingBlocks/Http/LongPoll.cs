using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Marketplace.BuildingBlocks.Http;

/// <summary>
/// Long polling on a conditional GET: a caller that sends <c>If-None-Match</c> with the version it has and
/// <c>Prefer: wait=N</c> (RFC 7240) is answered as soon as the resource changes, or with 304 Not Modified after
/// N seconds (at most <see cref="MaxWait"/>). A client waiting for an order's next state asks once instead of polling.
/// </summary>
public static class LongPoll
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    /// <summary>How long the caller asked to wait (<c>Prefer: wait=N</c>, capped); zero when it did not ask or the value is unreadable.</summary>
    public static TimeSpan Wait(HttpRequest request)
    {
        foreach (var preference in request.Headers["Prefer"].SelectMany(v => (v ?? string.Empty).Split(',')))
        {
            var parts = preference.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[0].Equals("wait", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(parts[1].Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(Math.Min(seconds, MaxWait.TotalSeconds));
            }
        }

        return TimeSpan.Zero;
    }
}
