using MassTransit;

namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>
/// The defaults every consumer gets: a queue named after its service and consumer (so two services that consume
/// the same event never compete for it, in one process or many), exponential retry, and bounded concurrency.
/// </summary>
public abstract class ServiceConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
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
