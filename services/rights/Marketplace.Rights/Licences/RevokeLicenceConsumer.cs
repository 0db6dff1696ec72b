using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Rights;
using Marketplace.Contracts.Settlement;
using Marketplace.Rights.Access;
using MassTransit;

namespace Marketplace.Rights.Licences;

/// <summary>
/// A trade refunded in full (<see cref="TradeRefunded"/>: an upheld dispute, a licence that could not be issued) loses
/// its licence: revoked, <see cref="LicenceRevoked"/> published. A licence already ended stays as it is; a refund that
/// overtakes the licence's issue ends the order's reservation, so the licence is never issued. Partial refunds leave
/// the licence alone.
/// </summary>
public sealed class RevokeLicenceConsumer(Inbox<RightsDb> inbox, TimeProvider time) : IConsumer<TradeRefunded>
{
    private const string ByOrderSql = $"SELECT {LicenceStore.Columns} FROM rights.licences WHERE order_id = @OrderId";

    public Task Consume(ConsumeContext<TradeRefunded> context) =>
        inbox.ProcessOnceAsync(context, nameof(RevokeLicenceConsumer), async uow =>
        {
            var refund = context.Message;
            if (!refund.Full)
            {
                return;
            }

            var now = time.GetUtcNow();
            var licence = await uow.QuerySingleOrDefaultAsync<Licence>(ByOrderSql, new { refund.OrderId });
            if (licence is null)
            {
                await Reservations.EndAsync(uow, refund.OrderId, refund.ProductId, now);
                return;
            }

            if (licence.Status is not (LicenceStatus.Active or LicenceStatus.Suspended))
            {
                return;
            }

            var revoked = licence with { Status = LicenceStatus.Revoked, StatusReason = refund.Reason, Version = licence.Version + 1, UpdatedAt = now };
            if (!await LicenceStore.UpdateAsync(uow, revoked, licence.Version))
            {
                throw new InvalidOperationException($"Licence {licence.Id} changed meanwhile; retrying.");
            }

            await uow.PublishAsync(new LicenceRevoked(licence.Id, licence.OrderId, licence.LicenseeId, licence.ProductId, refund.Reason, now), now);
        });
}
