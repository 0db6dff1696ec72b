using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.BuildingBlocks.Hosting;

/// <summary>
/// A named rate-limit policy of N requests per second for each caller (the token's subject, else the remote address),
/// for endpoints a participant could flood: search and order placement. Past the limit the answer is 429 as a
/// ProblemDetails with <c>Retry-After</c> (see <see cref="ServiceDefaults"/>). ASP.NET Core's own rate limiter does
/// the counting; this only names the partition and reads the limit from configuration.
/// </summary>
public static class PerCallerRateLimit
{
    public static WebApplicationBuilder AddPerCallerRateLimit(this WebApplicationBuilder builder, string policy, string configKey, int defaultPerSecond)
    {
        var perSecond = builder.Configuration.GetValue(configKey, defaultPerSecond);
        builder.Services.AddRateLimiter(limits => limits.AddPolicy(policy, http =>
            RateLimitPartition.GetFixedWindowLimiter(
                http.User.FindFirstValue(Caller.SubjectClaim) ?? http.Connection.RemoteIpAddress?.ToString() ?? "anonymous",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perSecond, Window = TimeSpan.FromSeconds(1), QueueLimit = 0 })));
        return builder;
    }

    /// <summary>Tells a refused caller when to try again, where the limiter knows.</summary>
    internal static ValueTask OnRejected(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ValueTask.CompletedTask;
    }
}
