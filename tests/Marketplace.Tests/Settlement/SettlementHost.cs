using Marketplace.Tests.Support;

namespace Marketplace.Tests.Settlement;

/// <summary>An embedded marketplace whose payment-provider webhook is configured.</summary>
public sealed class SettlementHost : IAsyncLifetime
{
    public static readonly byte[] WebhookSecret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    public EmbeddedMarketplace Marketplace { get; } = new(new Dictionary<string, string?>
    {
        ["Settlement:Webhook:Secret"] = Convert.ToBase64String(WebhookSecret),
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Marketplace.DisposeAsync();
}
