using MassTransit;

namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>
/// The defaults every consumer gets, by convention: a queue named after its service and consumer (so two services that
/// consume the same event never compete for it, in one process or many) — the service being the second part of the
/// consumer's namespace, <c>Marketplace.{Service}.…</c> —, exponential retry, and bounded concurrency. Register a
/// consumer with <see cref="ServiceConsumers.AddServiceConsumer{TConsumer}"/>; derive a definition only for a consumer
/// that really differs.
/// </summary>
public class ServiceConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    public ServiceConsumerDefinition()
        : this(ServiceConsumers.ServiceOf(typeof(TConsumer)))
    {
    }

    protected ServiceConsumerDefinition(string service, int concurrentMessageLimit = 16)
    {
        EndpointName = $"{service}-{KebabCaseEndpointNameFormatter.Instance.Consumer<TConsumer>()}";
        ConcurrentMessageLimit = concurrentMessageLimit;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry => retry.Exponential(
            retryLimit: PoisonPolicy.RetryLimit,
            minInterval: TimeSpan.FromMilliseconds(100),
            maxInterval: TimeSpan.FromSeconds(30),
            intervalDelta: TimeSpan.FromMilliseconds(200)));
    }
}

public static class ServiceConsumers
{
    /// <summary>Registers <typeparamref name="TConsumer"/> with the conventional definition.</summary>
    public static IConsumerRegistrationConfigurator<TConsumer> AddServiceConsumer<TConsumer>(this IRegistrationConfigurator bus)
        where TConsumer : class, IConsumer =>
        bus.AddConsumer<TConsumer, ServiceConsumerDefinition<TConsumer>>();

    /// <summary>The service a consumer belongs to: <c>Marketplace.Rights.Access.DecideAccessConsumer</c> → <c>rights</c>.</summary>
    public static string ServiceOf(Type consumer) =>
        consumer.Namespace?.Split('.') is [ "Marketplace", var service, .. ]
            ? service.ToLowerInvariant()
            : throw new InvalidOperationException($"{consumer.FullName} is not in a service's namespace (Marketplace.{{Service}}.…).");
}
