using System.Threading.Channels;

namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>A level-triggered wake-up for the outbox dispatcher: many commits between two waits wake it once.</summary>
public sealed class OutboxSignal
{
    private readonly Channel<bool> channel = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => channel.Writer.TryWrite(true);

    /// <summary>Returns when notified, or when <paramref name="timeout"/> (the polling fallback) has passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var wake = channel.Reader.WaitToReadAsync(cts.Token).AsTask();
        var poll = Task.Delay(timeout, time, cts.Token);
        await Task.WhenAny(wake, poll);
        await cts.CancelAsync();
        channel.Reader.TryRead(out _);
        ct.ThrowIfCancellationRequested();
    }
}
