using Marketplace.LoadDriver;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Distributed;

/// <summary>
/// A few seconds of the load driver against the four service processes and the gateway over RabbitMQ, so the driver
/// cannot rot: it prepares its market, runs trades at a low rate, and the invariants it checks afterwards hold. The
/// figures are not asserted (they live in PERFORMANCE.md).
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class LoadDriverSmokeTests
{
    [Fact]
    public async Task A_short_run_completes_its_trades_and_every_invariant_holds()
    {
        await using var marketplace = await DistributedMarketplace.StartAsync();
        // Not a fresh host: the demo's trade is there first, and the driver's invariants must check the driver's own trades.
        await new Marketplace.Demo.DemoScenario(marketplace.Client(), TextWriter.Null).RunAsync(CancellationToken.None);
        var options = new DriverOptions(marketplace.Gateway, [4], DurationSeconds: 3, WarmupSeconds: 1, Products: 2, Buyers: 3, Plot: null);
        var report = await new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None);
        var stage = Assert.Single(report.Stages);
        Assert.True(report.InvariantsHold, report.ToMarkdown() + marketplace.Logs());
        Assert.Equal(stage.Started, stage.Completed);
        Assert.True(report.Invariants.Completed >= 12, report.ToMarkdown());
        Assert.Equal(report.Invariants.Completed, report.Invariants.Licences);
    }
}
