using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Rights;
using MassTransit;

namespace Marketplace.Settlement.Orders;

/// <summary>
/// Keeps on each completed order what became of its licence — suspended, reinstated, revoked, expired — as rights
/// reports it, so the buyer, the seller and operators see it with the trade (and billing can stop on it). Each change
/// is a version of the order with its journal entry; a report older than the one applied changes nothing (they may
/// arrive out of order; reports of the same instant apply in the order they arrive). Once per message (inbox).
/// </summary>
public sealed class RecordLicenceStatusConsumer(Inbox<SettlementDb> inbox, TimeProvider time) :
    IConsumer<LicenceSuspended>,
    IConsumer<LicenceReinstated>,
    IConsumer<LicenceRevoked>,
    IConsumer<LicenceExpired>
{
    public Task Consume(ConsumeContext<LicenceSuspended> context) => Record(context, context.Message.OrderId, LicenceState.Suspended, context.Message.SuspendedAt);

    public Task Consume(ConsumeContext<LicenceReinstated> context) => Record(context, context.Message.OrderId, LicenceState.Active, context.Message.ReinstatedAt);

    public Task Consume(ConsumeContext<LicenceRevoked> context) => Record(context, context.Message.OrderId, LicenceState.Revoked, context.Message.RevokedAt);

    public Task Consume(ConsumeContext<LicenceExpired> context) => Record(context, context.Message.OrderId, LicenceState.Expired, context.Message.ExpiredAt);

    private Task Record<T>(ConsumeContext<T> context, Guid orderId, LicenceState state, DateTimeOffset at)
        where T : class =>
        inbox.ProcessOnceAsync(context, nameof(RecordLicenceStatusConsumer), async uow =>
        {
            if (await OrderStore.FindAsync(uow, orderId) is not { LicenceId: not null } order || order.LicenceStatusAt > at)
            {
                return;
            }

            _ = await OrderChange.SaveAsync(uow, order, order with { LicenceStatus = state, LicenceStatusAt = at }, null, time.GetUtcNow())
                ?? throw new InvalidOperationException($"Order {orderId} changed while its licence's state was recorded; the retry records it again.");
        });
}
