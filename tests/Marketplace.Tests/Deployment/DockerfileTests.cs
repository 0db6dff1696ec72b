using Marketplace.BuildingBlocks.Hosting;
using Marketplace.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Marketplace.Tests.Deployment;

/// <summary>Each host's Dockerfile: multi-stage, runs its own assembly as a non-root user, and checks its health.</summary>
public sealed class DockerfileTests
{
    public static TheoryData<string, string> Hosts => new()
    {
        { "services/catalog/Marketplace.Catalog.Host", "Marketplace.Catalog.Host" },
        { "services/rights/Marketplace.Rights.Host", "Marketplace.Rights.Host" },
        { "services/pricing/Marketplace.Pricing.Host", "Marketplace.Pricing.Host" },
        { "services/settlement/Marketplace.Settlement.Host", "Marketplace.Settlement.Host" },
        { "deploy/Marketplace.Gateway", "Marketplace.Gateway" },
    };

    [Theory]
    [MemberData(nameof(Hosts))]
    public void The_dockerfile_builds_and_runs_its_own_host(string project, string assembly)
    {
        var lines = File.ReadAllLines(Path.Combine(DistributedMarketplace.RepositoryRoot, project, "Dockerfile"));
        Assert.Equal(2, lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("RUN dotnet publish " + project + " ", StringComparison.Ordinal));
        Assert.Contains("USER $APP_UID", lines);
        Assert.Contains(lines, l => l.Contains($"CMD [\"dotnet\", \"{assembly}.dll\", \"--probe\", \"http://127.0.0.1:8080/health/ready\"]", StringComparison.Ordinal));
        Assert.Equal($"ENTRYPOINT [\"dotnet\", \"{assembly}.dll\"]", lines.Last(l => l.Length > 0));
    }

    [Fact]
    public async Task The_probe_mode_answers_with_an_exit_code()
    {
        await using var app = WebApplication.Create();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapGet("/ready", () => Results.Ok());
        app.MapGet("/not-ready", () => Results.StatusCode(503));
        await app.StartAsync();
        var address = app.Urls.Single();

        Assert.Equal(0, await MarketplaceHost.ProbeAsync(address + "/ready"));
        Assert.Equal(1, await MarketplaceHost.ProbeAsync(address + "/not-ready"));
        Assert.Equal(1, await MarketplaceHost.ProbeAsync("http://127.0.0.1:9/health/ready"));
    }
}
