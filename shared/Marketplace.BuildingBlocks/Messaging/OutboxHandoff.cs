using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>
/// Hands a service's committed outbox rows from the unit of work that wrote them to the dispatcher in the same
/// process, with the wake-up that goes with them. The rows are written already leased (<see cref="Lease"/>), so no
/// other dispatcher claims them meanwhile, and the dispatcher publishes the message objects it is handed: no claim
/// query, no commit for it, no deserialising the body. What is not published from here is still in the table: rows
/// waiting when the host stops are released for the next dispatcher to claim at once; rows of a crashed process, or
/// past the queue's capacity, are claimed once their lease has run out. The wake-up is
/// level-triggered: many commits between two waits wake the dispatcher once.
/// </summary>
public sealed class OutboxHandoff(int capacity = OutboxHandoff.DefaultCapacity)
{
    /// <summary>Rows waiting in memory at most; past it (a broker outage) they wait for their lease instead.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly ConcurrentQueue<OutboxMessage> rows = new();
    private readonly Channel<bool> signal = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private int count;

    /// <summary>How long a row written by this process stays invisible to claims; the dispatcher sets it from its options.</summary>
    public TimeSpan Lease { get; internal set; } = new OutboxOptions().LockDuration;

    /// <summary>Rows waiting to be published from memory.</summary>
    public int Count => Volatile.Read(ref count);

    /// <summary>Hands over the rows of a commit and wakes the dispatcher.</summary>
    internal void Post(IReadOnlyList<OutboxMessage> committed)
    {
        foreach (var row in committed)
        {
            if (Interlocked.Increment(ref count) > capacity)
            {
                Interlocked.Decrement(ref count);
                break;
            }

            rows.Enqueue(row);
        }

        signal.Writer.TryWrite(true);
    }

    /// <summary>Takes up to <paramref name="max"/> handed-over rows, oldest first.</summary>
    internal List<OutboxMessage> Take(int max)
    {
        var taken = new List<OutboxMessage>(Math.Min(max, Count));
        while (taken.Count < max && rows.TryDequeue(out var row))
        {
            Interlocked.Decrement(ref count);
            taken.Add(row);
        }

        return taken;
    }

    /// <summary>Returns when rows were handed over, or when <paramref name="timeout"/> (the polling fallback) has passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var wake = signal.Reader.WaitToReadAsync(cts.Token).AsTask();
        var poll = Task.Delay(timeout, time, cts.Token);
        await Task.WhenAny(wake, poll);
        await cts.CancelAsync();
        signal.Reader.TryRead(out _);
        ct.ThrowIfCancellationRequested();
    }
}

/// <summary>
/// An outbox row as its writer knows it: the message object itself, so publishing it needs no deserialising; a
/// <see cref="Destination"/> queue when it is sent to one consumer instead of published to every subscriber.
/// </summary>
internal sealed record OutboxMessage(long Seq, Guid Id, object Message, string? TraceParent, DateTimeOffset LeasedUntil, string? Destination = null);
