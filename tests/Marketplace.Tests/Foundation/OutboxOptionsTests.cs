using Marketplace.BuildingBlocks.Hosting;
using Marketplace.BuildingBlocks.Messaging;

namespace Marketplace.Tests.Foundation;

/// <summary>The outbox's settings: checked as a whole when a host starts, and the back-off they describe.</summary>
public sealed class OutboxOptionsTests
{
    /// <summary>Through the hosts' own start-up: a wrong setting stops the host before it serves, naming the setting.</summary>
    [Theory]
    [InlineData("BatchSize", "0", "BatchSize must be 1 to 2000")]
    [InlineData("BatchSize", "2001", "BatchSize must be 1 to 2000")]
    [InlineData("PollInterval", "00:00:00", "PollInterval must be positive")]
    [InlineData("MarkDelay", "-00:00:01", "MarkDelay must not be negative")]
    [InlineData("LockDuration", "00:00:10", "LockDuration must exceed PublishTimeout + MarkDelay")]
    [InlineData("MarkDelay", "00:00:25", "LockDuration must exceed PublishTimeout + MarkDelay")]
    [InlineData("MaxBackoff", "00:00:00.100", "MaxBackoff must be at least InitialBackoff")]
    [InlineData("InboxRetention", "00:00:30", "InboxRetention must exceed MaxBackoff + LockDuration")]
    [InlineData("PurgeInterval", "00:00:00", "PurgeInterval must be positive")]
    public void A_wrong_setting_stops_the_host_at_start_naming_it(string setting, string value, string problem)
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(new Microsoft.AspNetCore.Builder.WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration[$"Messaging:Outbox:{setting}"] = value;
        var refused = Assert.Throws<InvalidOperationException>(() => builder.AddMarketplaceDefaults("catalog"));
        Assert.Contains(problem, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_and_every_problem_at_once()
    {
        new OutboxOptions().ThrowIfInvalid("Production");

        var refused = Assert.Throws<InvalidOperationException>(() =>
            new OutboxOptions { BatchSize = 0, PublishTimeout = TimeSpan.FromMinutes(1), ShuffleBatches = true }.ThrowIfInvalid("Production"));
        Assert.Equal(
            "Messaging:Outbox: BatchSize must be 1 to 2000; LockDuration must exceed PublishTimeout + MarkDelay; "
            + "DuplicateEveryMessage and ShuffleBatches are fault injection for tests; they are refused in Production.",
            refused.Message);
    }

    [Fact]
    public void Backoff_doubles_up_to_the_cap()
    {
        var options = new OutboxOptions { InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromSeconds(1) };
        Assert.Equal(
            [100, 200, 400, 800, 1000, 1000],
            Enumerable.Range(0, 6).Select(a => options.BackoffFor(a).TotalMilliseconds));
    }
}
