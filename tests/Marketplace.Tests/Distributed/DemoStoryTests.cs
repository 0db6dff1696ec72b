using Marketplace.Demo;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Distributed;

/// <summary>
/// The guided demo's whole story — admission, listing, rights with public notice and a certificate, pricing, deposit,
/// search, order, quote, acceptance, split, licence, voucher, audit, statements, delivery and revocation — in both
/// modes: in-process on the embedded host (revocation cuts access within 1 s), and across the four service processes
/// and the gateway over a real RabbitMQ (within 2 s).
/// </summary>
public sealed class DemoStoryTests
{
    [Fact]
    public async Task The_story_runs_on_the_embedded_host()
    {
        await using var m = new EmbeddedMarketplace(new Dictionary<string, string?> { ["Rights:Clock:Interval"] = "00:00:00.200" });
        var output = new StringWriter();
        var result = await new DemoScenario(m.CreateClient(), output).RunAsync(CancellationToken.None);
        Assert.StartsWith("TV-", result.VoucherNumber, StringComparison.Ordinal);
        Assert.Contains("verifies voucher", output.ToString(), StringComparison.Ordinal);
        Assert.True(result.RevocationCutOff < TimeSpan.FromSeconds(1), $"revocation cut access after {result.RevocationCutOff} on the instance that made it");
    }

    [Collection(RabbitMqCollection.Name)]
    public sealed class AcrossProcesses
    {
        [Fact]
        public async Task The_story_runs_across_the_service_processes_over_RabbitMQ()
        {
            await using var marketplace = await DistributedMarketplace.StartAsync();
            var output = new StringWriter();
            try
            {
                var result = await new DemoScenario(marketplace.Client(), output).RunAsync(CancellationToken.None);
                Assert.StartsWith("DRC-", result.CertificateNumber, StringComparison.Ordinal);
                Assert.True(result.RevocationCutOff < TimeSpan.FromSeconds(2), $"revocation cut access after {result.RevocationCutOff} through the gateway");
            }
            catch (DemoFailedException ex)
            {
                throw new InvalidOperationException($"{ex.Message}\n{output}\n{marketplace.Logs()}", ex);
            }
        }
    }
}
