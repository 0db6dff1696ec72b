using Marketplace.LoadDriver;
using Marketplace.Tests.Support;
using Xunit.Abstractions;

namespace Marketplace.Tests.Reliability;

/// <summary>
/// The load driver against the four service processes and the gateway over RabbitMQ while faults are injected:
/// every few seconds a random service is killed (kill -9) and started again; once the broker is restarted; once
/// settlement stays down for longer than a quote is valid. Afterwards nothing may be lost or doubled: every order the
/// marketplace holds ends within a minute, one licence per completed trade and never two for one order, the buyers
/// were charged exactly what their settled trades cost, the ledger reconciles and the journal verifies.
/// <c>FAULT_SECONDS</c> (default 60) sets how long the load and the faults last; the long run is in
/// tests/Marketplace.Tests/Reliability/RELIABILITY.md.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class FaultInjectionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan QuoteValidFor = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Crashes_and_a_broker_restart_during_load_lose_and_double_nothing()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("FAULT_SECONDS"), out var s) && s >= 30 ? s : 60;
        var seed = Environment.TickCount;
        await using var marketplace = await DistributedMarketplace.StartAsync(new Dictionary<string, string>
        {
            ["Pricing__Quotes__ValidFor"] = QuoteValidFor.ToString(),
            ["Pricing__Quotes__ExpiryInterval"] = "00:00:01",
            ["Messaging__Outbox__MaxBackoff"] = "00:00:02",
            ["Messaging__Outbox__PublishTimeout"] = "00:00:03",
        });
        var faults = new List<string>();
        var options = new DriverOptions(marketplace.Gateway, [8], DurationSeconds: seconds, WarmupSeconds: 0, Products: 4, Buyers: 10, Plot: null);
        var run = new LoadRun(options, TextWriter.Null) { WhileLoaded = ct => InjectAsync(marketplace, new Random(seed), TimeSpan.FromSeconds(seconds), faults, ct) };

        var report = await run.RunAsync(CancellationToken.None);

        var stage = Assert.Single(report.Stages);
        output.WriteLine($"seed {seed}, {seconds} s at {options.Rates[0]} trades/s, {faults.Count} faults: {string.Join("; ", faults)}");
        output.WriteLine($"trades started {stage.Started}, completed {stage.Completed}, driver errors {string.Join(", ", stage.Errors.Select(e => $"{e.Key} {e.Value}"))}");
        output.WriteLine($"invariants: {report.Invariants}");
        Assert.True(report.InvariantsHold, report.ToMarkdown() + string.Join("\n", faults) + marketplace.Logs());
        Assert.True(faults.Count >= 4, "faults were injected: " + string.Join("; ", faults));
        Assert.True(report.Invariants.Completed > 0, report.ToMarkdown());
    }

    /// <summary>The fault schedule: a kill and restart every few seconds, the broker restarted a third of the way in,
    /// settlement down past a quote's validity two thirds of the way in. Pacing the faults is what the waits are for.</summary>
    private static async Task InjectAsync(DistributedMarketplace marketplace, Random random, TimeSpan length, List<string> faults, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var brokerDone = false;
        var outageDone = false;
        var pause = TimeSpan.FromSeconds(4);
        while (!ct.IsCancellationRequested && clock.Elapsed < length - pause)
        {
            await Task.Delay(pause, ct);
            if (!brokerDone && clock.Elapsed > length / 3)
            {
                brokerDone = true;
                faults.Add($"{clock.Elapsed.TotalSeconds:0}s broker restart");
                await RabbitMq.StopAppAsync();
                await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None);
                await RabbitMq.StartAppAsync();
            }
            else if (!outageDone && clock.Elapsed > length * 2 / 3)
            {
                outageDone = true;
                faults.Add($"{clock.Elapsed.TotalSeconds:0}s settlement down for {(QuoteValidFor + pause).TotalSeconds:0}s");
                await marketplace.KillAsync("settlement");
                await Task.Delay(QuoteValidFor + pause, CancellationToken.None);
                await marketplace.RestartAsync("settlement", CancellationToken.None);
            }
            else
            {
                var victim = DistributedMarketplace.ServiceNames[random.Next(DistributedMarketplace.ServiceNames.Count)];
                faults.Add($"{clock.Elapsed.TotalSeconds:0}s kill -9 {victim}");
                await marketplace.KillAsync(victim);
                await marketplace.RestartAsync(victim, CancellationToken.None);
            }
        }
    }
}
