using Marketplace.Gateway;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

// Clients see one address with the same paths as the embedded host; routes and destinations come from the
// ReverseProxy section (deploy/distributed.sh overrides the destinations with environment variables).
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
builder.Services.AddHttpClient();
builder.Services.AddHealthChecks().AddCheck<BackendsReady>("backends", tags: ["ready"]);

var app = builder.Build();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
app.MapReverseProxy();
app.Run();
