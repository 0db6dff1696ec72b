using System.Collections.Concurrent;
using MassTransit;

namespace Marketplace.Tests.Support;

/// <summary>Counts, per message id, how often a receive endpoint finished consuming it, and how often it faulted.</summary>
public sealed class ConsumeCounter(string endpoint) : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> consumed = new();
    private readonly ConcurrentDictionary<Guid, int> faulted = new();

    public static ConsumeCounter Attach(IBus bus, string endpoint)
    {
        var counter = new ConsumeCounter(endpoint);
        bus.ConnectConsumeObserver(counter);
        return counter;
    }

    public int Consumed(Guid messageId) => consumed.GetValueOrDefault(messageId);

    public int Faulted(Guid messageId) => faulted.GetValueOrDefault(messageId);

    /// <summary>The fewest times any message was consumed (0 when none was).</summary>
    public int LeastConsumed => consumed.IsEmpty ? 0 : consumed.Values.Min();

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        Count(consumed, context);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class
    {
        Count(faulted, context);
        return Task.CompletedTask;
    }

    private void Count(ConcurrentDictionary<Guid, int> counts, ConsumeContext context)
    {
        if (context.MessageId is { } id && context.ReceiveContext.InputAddress.AbsolutePath.Contains(endpoint, StringComparison.Ordinal))
        {
            counts.AddOrUpdate(id, 1, (_, n) => n + 1);
        }
    }
}
