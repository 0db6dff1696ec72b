using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Settlement;
using MassTransit;

namespace Marketplace.Rights.Access;

/// <summary>
/// An order ended before it was settled (<see cref="OrderEnded"/>): its exclusivity reservation is released, so the
/// next buyer is let through, and a request still waiting for its provider is withdrawn. Once per message (inbox).
/// </summary>
public sealed class ReleaseReservationConsumer(Inbox<RightsDb> inbox, TimeProvider time) : IConsumer<OrderEnded>
{
    public Task Consume(ConsumeContext<OrderEnded> context) =>
        inbox.ProcessOnceAsync(context, nameof(ReleaseReservationConsumer), async uow =>
        {
            var ended = context.Message;
            var now = time.GetUtcNow();
            await Reservations.EndAsync(uow, ended.OrderId, ended.ProductId, now);
            await AccessDecisions.CloseAsync(uow, ended.OrderId, AccessRequestStatus.Withdrawn, ended.Reason, null, now);
        });
}
