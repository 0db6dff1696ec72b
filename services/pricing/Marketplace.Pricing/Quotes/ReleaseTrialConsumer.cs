using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Settlement;
using MassTransit;

namespace Marketplace.Pricing.Quotes;

/// <summary>
/// An order that ended unsettled (<see cref="OrderEnded"/>: rejected by rights, cancelled, expired, failed) gives back
/// the trial its quote used, so the buyer may still try the product. Once per message (inbox).
/// </summary>
public sealed class ReleaseTrialConsumer(Inbox<PricingDb> inbox) : IConsumer<OrderEnded>
{
    public Task Consume(ConsumeContext<OrderEnded> context) =>
        inbox.ProcessOnceAsync(context, nameof(ReleaseTrialConsumer), uow => QuoteStore.ReleaseTrialAsync(uow, context.Message.OrderId));
}
