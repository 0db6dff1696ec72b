using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Rights;
using Marketplace.Contracts.Settlement;
using Marketplace.Rights.Access;
using Marketplace.Rights.Products;
using MassTransit;

namespace Marketplace.Rights.Licences;

/// <summary>
/// Grants the licence a settled trade bought (<see cref="TradeSettled"/>): the id and term settlement's voucher names,
/// once per order, and the order's exclusivity reservation becomes the licence. Exclusivity was reserved at the access
/// decision; it is checked again here, under the product's row lock, against licences granted meanwhile (an exclusive
/// licence is refused while any licence on the product is live, any licence while an exclusive one is), with the
/// database's unique index on live exclusive licences behind it. A licence it cannot grant is answered
/// <see cref="LicenceRefused"/> (settlement refunds); one it gives up on, <see cref="OrderStepFailed"/>.
/// </summary>
public sealed class IssueLicenceConsumer(Inbox<RightsDb> inbox, TimeProvider time) : IConsumer<TradeSettled>
{
    public Task Consume(ConsumeContext<TradeSettled> context) =>
        inbox.ProcessOnceAsync(context, nameof(IssueLicenceConsumer), async uow =>
        {
            var trade = context.Message;
            var now = time.GetUtcNow();
            if (await LicenceStore.FindAsync(uow, trade.LicenceId) is not null || await Reservations.EndedAsync(uow, trade.OrderId))
            {
                return; // issued already, or refunded before it arrived
            }

            var product = await ProductDirectory.LockAsync(uow, trade.ProductId)
                ?? throw new InvalidOperationException($"Product {trade.ProductId} is not known to rights yet; retrying until its listing arrives.");
            var refusal = trade.Exclusive && await LicenceStore.AnyLiveAsync(uow, product.Id, now)
                ? ("exclusive-conflict", "An exclusive licence cannot be granted while another licence on the product is in force.")
                : !trade.Exclusive && await LicenceStore.ExclusiveLiveAsync(uow, product.Id, now)
                    ? ("exclusive-licence-active", "An exclusive licence on the product is in force.")
                    : default((string, string)?);
            if (refusal is var (code, message))
            {
                await Reservations.EndAsync(uow, trade.OrderId, trade.ProductId, now);
                await uow.PublishAsync(new LicenceRefused(trade.OrderId, trade.BuyerId, trade.ProductId, code, message, now), now);
                return;
            }

            await LicenceStore.InsertAsync(uow, new Licence
            {
                Id = trade.LicenceId,
                OrderId = trade.OrderId,
                LicenseeId = trade.BuyerId,
                ProductId = product.Id,
                ProviderId = product.OwnerId,
                PlanId = trade.PlanId,
                Purpose = trade.Purpose,
                StartsAt = trade.SettledAt.ToUniversalTime(),
                EndsAt = trade.LicenceEndsAt.ToUniversalTime(),
                Exclusive = trade.Exclusive,
                Status = LicenceStatus.Active,
                Version = 1,
                IssuedAt = now,
                UpdatedAt = now,
            });
            await Reservations.LicensedAsync(uow, trade.OrderId, now);
        },
        (uow, givenUp) => uow.PublishAsync(new OrderStepFailed(givenUp.Message.OrderId, RightsModule.Name, "issue the licence", givenUp.Error, givenUp.Now), givenUp.Now));
}
