using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace Marketplace.Gateway;

/// <summary>The gateway is ready when every service behind it answers its own <c>/health/ready</c>.</summary>
internal sealed class BackendsReady(IProxyStateLookup proxy, IHttpClientFactory clients) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var client = clients.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(3);
        var notReady = new List<string>();
        foreach (var cluster in proxy.GetClusters())
        {
            foreach (var destination in cluster.Destinations.Values)
            {
                var address = new Uri(new Uri(destination.Model.Config.Address), "/health/ready");
                try
                {
                    using var response = await client.GetAsync(address, ct);
                    if (!response.IsSuccessStatusCode)
                    {
                        notReady.Add($"{cluster.ClusterId}: {(int)response.StatusCode}");
                    }
                }
                catch (HttpRequestException ex)
                {
                    notReady.Add($"{cluster.ClusterId}: {ex.Message}");
                }
                catch (TaskCanceledException)
                {
                    notReady.Add($"{cluster.ClusterId}: timed out");
                }
            }
        }

        return notReady.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy(string.Join("; ", notReady));
    }
}
