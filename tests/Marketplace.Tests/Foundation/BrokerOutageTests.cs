using System.Net;
using System.Net.Http.Json;
using Marketplace.Catalog;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Foundation;

/// <summary>
/// Over a real RabbitMQ: with the broker stopped, writes still succeed (their events wait in the outbox, the host
/// reports not ready); once the broker is back, the events are delivered. The test stops and restarts the broker.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class BrokerOutageTests
{
    [Fact]
    public async Task Writes_succeed_while_the_broker_is_down_and_their_events_arrive_when_it_is_back()
    {
        await using var vhost = await RabbitMq.CreateVirtualHostAsync();
        await using var m = new EmbeddedMarketplace(new Dictionary<string, string?>
        {
            ["Messaging:Transport"] = "RabbitMq",
            ["Messaging:RabbitMqUrl"] = vhost.Url,
            ["Messaging:Outbox:PublishTimeout"] = "00:00:02",
            ["Messaging:Outbox:MaxBackoff"] = "00:00:01",
            ["Messaging:Outbox:PollInterval"] = "00:00:00.200",
        });
        await Eventually.True(async () => (await m.Anonymous().GetAsync("/health/ready")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "the host connects to the broker");

        var before = await m.AdmitAsync();
        await Eventually.True(async () => (await m.Operator().GetAsync($"/settlement/participants/{before.Id}/accounts")).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "delivery over the broker");
        // The dispatcher marks a row sent after the broker confirmed it, so a consumer can see the event first.
        await Eventually.True(async () => await Unsent(m) == 0, TimeSpan.FromSeconds(30), "the first event marked sent");

        await RabbitMq.StopAppAsync();
        try
        {
            var during = await m.AdmitAsync(waitUntilKnown: false);
            await Eventually.True(
                async () => (await m.Anonymous().GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
                TimeSpan.FromSeconds(30), "readiness reports the broker down");
            Assert.Equal(1, await Unsent(m));
            await Expect.Problem(await m.Operator().GetAsync($"/settlement/participants/{during.Id}/accounts"), HttpStatusCode.NotFound);

            await RabbitMq.StartAppAsync();
            var accounts = await Eventually.Get(async () =>
            {
                var response = await m.Operator().GetAsync($"/settlement/participants/{during.Id}/accounts");
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<List<object>>() : null;
            }, TimeSpan.FromSeconds(90), "the event written during the outage is delivered");
            Assert.Equal(3, accounts.Count);
            await Eventually.True(async () => await Unsent(m) == 0, TimeSpan.FromSeconds(30), "the outage's event marked sent");
        }
        finally
        {
            await RabbitMq.StartAppAsync();
        }
    }

    private static Task<long> Unsent(EmbeddedMarketplace m) =>
        m.CountAsync<CatalogDb>("SELECT COUNT(*) FROM catalog.outbox WHERE sent_at IS NULL");
}
