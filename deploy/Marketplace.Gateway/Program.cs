using Marketplace.Gateway;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

// Clients see one address with the same paths as the embedded host; routes and destinations come from the
// ReverseProxy section (deploy/distributed.sh overrides the destinations with environment variables).
if (args is ["--probe", var url])
{
    // The container health check: the runtime image has no shell or curl.
    using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(4) };
    try
    {
        return (await probe.GetAsync(new Uri(url))).IsSuccessStatusCode ? 0 : 1;
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
    {
        return 1;
    }
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
builder.Services.AddHttpClient();
builder.Services.AddHealthChecks().AddCheck<BackendsReady>("backends", tags: ["ready"]);

var app = builder.Build();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
app.MapReverseProxy();
await app.RunAsync();
return 0;
