using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Pricing;
using Marketplace.Contracts.Rights;
using Marketplace.Contracts.Settlement;
using Marketplace.Rights.Products;
using MassTransit;

namespace Marketplace.Rights.Licences;

/// <summary>
/// Grants the licence for a settled order (<see cref="IssueLicence"/>): once per order (the licence id is derived from
/// it), term from the settlement instant. Exclusivity is decided here, under the product's row lock, because two
/// orders approved at the same moment both passed their access decision: an exclusive licence is refused while any
/// licence on the product is live, and any licence is refused while an exclusive one is live
/// (<see cref="LicenceRefused"/>; settlement refunds). The database's unique index on live exclusive licences
/// backs this up. An order it gives up on is refunded (<see cref="OrderStepFailed"/>).
/// </summary>
public sealed class IssueLicenceConsumer(Inbox<RightsDb> inbox, TimeProvider time) : IConsumer<IssueLicence>
{
    public Task Consume(ConsumeContext<IssueLicence> context) =>
        inbox.ProcessOnceAsync(context, nameof(IssueLicenceConsumer), async uow =>
        {
            var request = context.Message;
            var now = time.GetUtcNow();
            var product = await ProductDirectory.LockAsync(uow, request.ProductId)
                ?? throw new InvalidOperationException($"Product {request.ProductId} is not known to rights yet; retrying until its listing arrives.");
            var refusal = request.Exclusive && await LicenceStore.AnyLiveAsync(uow, product.Id, now)
                ? ("exclusive-conflict", "An exclusive licence cannot be granted while another licence on the product is in force.")
                : !request.Exclusive && await LicenceStore.ExclusiveLiveAsync(uow, product.Id, now)
                    ? ("exclusive-licence-active", "An exclusive licence on the product is in force.")
                    : default((string, string)?);
            if (refusal is var (code, message))
            {
                await uow.PublishAsync(new LicenceRefused(request.OrderId, request.LicenseeId, request.ProductId, code, message, now), now);
                return;
            }

            var starts = request.SettledAt.ToUniversalTime();
            var licence = new Licence
            {
                Id = DeterministicId.From(request.OrderId, "licence"),
                OrderId = request.OrderId,
                LicenseeId = request.LicenseeId,
                ProductId = product.Id,
                ProviderId = product.OwnerId,
                PlanId = request.PlanId,
                Purpose = request.Purpose,
                StartsAt = starts,
                EndsAt = request.TermUnit switch
                {
                    TermUnit.Day => starts.AddDays(request.TermLength),
                    TermUnit.Month => starts.AddMonths(request.TermLength),
                    _ => starts.AddYears(request.TermLength),
                },
                UsageLimit = request.UsageLimit,
                Exclusive = request.Exclusive,
                Status = LicenceStatus.Active,
                Version = 1,
                IssuedAt = now,
                UpdatedAt = now,
            };
            await LicenceStore.InsertAsync(uow, licence);
            await uow.PublishAsync(new LicenceIssued(
                licence.Id, licence.OrderId, licence.LicenseeId, licence.ProductId, licence.ProviderId, licence.PlanId, licence.Purpose,
                licence.StartsAt, licence.EndsAt, licence.UsageLimit, licence.Exclusive, now), now);
        },
        (uow, givenUp) => uow.PublishAsync(new OrderStepFailed(givenUp.Message.OrderId, RightsModule.Name, "issue the licence", givenUp.Error, givenUp.Now), givenUp.Now));
}
