using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Rights;
using MassTransit;

namespace Marketplace.Rights.Licences;

/// <summary>
/// Revokes the licence of an order settlement refunded in full (an upheld dispute) and publishes
/// <see cref="LicenceRevoked"/>. A licence already ended stays as it is; an order without a licence yet is retried.
/// </summary>
public sealed class RevokeLicenceConsumer(Inbox<RightsDb> inbox, TimeProvider time) : IConsumer<RevokeLicence>
{
    private const string ByOrderSql = $"SELECT {LicenceStore.Columns} FROM rights.licences WHERE order_id = @OrderId";

    public Task Consume(ConsumeContext<RevokeLicence> context) =>
        inbox.ProcessOnceAsync(context, nameof(RevokeLicenceConsumer), async uow =>
        {
            var licence = await uow.QuerySingleOrDefaultAsync<Licence>(ByOrderSql, new { context.Message.OrderId })
                ?? throw new InvalidOperationException($"No licence for order {context.Message.OrderId} yet; retrying.");
            if (licence.Status is not (LicenceStatus.Active or LicenceStatus.Suspended))
            {
                return;
            }

            var now = time.GetUtcNow();
            var revoked = licence with { Status = LicenceStatus.Revoked, StatusReason = context.Message.Reason, Version = licence.Version + 1, UpdatedAt = now };
            if (!await LicenceStore.UpdateAsync(uow, revoked, licence.Version))
            {
                throw new InvalidOperationException($"Licence {licence.Id} changed meanwhile; retrying.");
            }

            await uow.PublishAsync(new LicenceRevoked(licence.Id, licence.OrderId, licence.LicenseeId, licence.ProductId, context.Message.Reason, now), now);
        });
}
