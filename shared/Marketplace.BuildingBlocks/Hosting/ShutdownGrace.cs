using Microsoft.Extensions.Configuration;

namespace Marketplace.BuildingBlocks.Hosting;

/// <summary>
/// <c>Hosting:ShutdownGrace</c> (default 10 s, at most 25 s — inside Kubernetes' 30 s before SIGKILL): how long a
/// stopping host gives what is in flight. On SIGTERM it stops taking requests and messages, answers long polls at
/// once, lets requests and consumers finish for up to half the grace, then cancels the consumers still running — a
/// message in retry stops retrying and goes back to its queue unacknowledged, neither given up nor lost — and exits
/// within the grace.
/// </summary>
public static class ShutdownGrace
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan Max = TimeSpan.FromSeconds(25);

    public static TimeSpan Read(IConfiguration configuration)
    {
        var grace = configuration.GetValue("Hosting:ShutdownGrace", Default);
        return grace > TimeSpan.Zero && grace <= Max
            ? grace
            : throw new InvalidOperationException($"Hosting:ShutdownGrace must be more than 0 and at most {Max}, not {grace}.");
    }

    /// <summary>How long consumers may run on after the stop before their messages are cancelled and given back.</summary>
    public static TimeSpan ConsumerStop(TimeSpan grace) => grace / 2;
}
