using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Rights;
using Marketplace.Contracts.Settlement;
using Marketplace.Rights.Products;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Marketplace.Rights.Access;

/// <summary>
/// Decides access for an order placed (<see cref="OrderPlaced"/>) by <see cref="AccessRules"/>: rejected with the first
/// failing rule's code; approved with the seller's certificate holders and shares; or, for a product that asks for it,
/// awaiting the provider until a deadline (<c>Rights:Access:ApprovalWindow</c>, default 72 hours). For a product that
/// sells exclusive licences the decision is taken under the product's row lock and, unless rejected, reserves for the
/// order (<see cref="Reservations"/>), so of many concurrent exclusive requests one goes on and the others are refused
/// before they pay. Once per message (inbox) and once per order; an order that already ended gets no decision. A request
/// it gives up on ends the order (<see cref="OrderStepFailed"/>).
/// </summary>
public sealed class DecideAccessConsumer(Inbox<RightsDb> inbox, TimeProvider time, IOptions<RightsOptions> options) : IConsumer<OrderPlaced>
{
    private readonly TimeSpan window = options.Value.Access.ApprovalWindow;

    public Task Consume(ConsumeContext<OrderPlaced> context) =>
        inbox.ProcessOnceAsync(context, nameof(DecideAccessConsumer), async uow =>
        {
            var order = context.Message;
            if (await AccessDecisions.FindAsync(uow, order.OrderId) is not null || await Reservations.EndedAsync(uow, order.OrderId))
            {
                return;
            }

            var now = time.GetUtcNow();
            var reserving = await ProductDirectory.FindAsync(uow, order.ProductId) is { ExclusiveAllowed: true };
            if (reserving)
            {
                await ProductDirectory.LockAsync(uow, order.ProductId);
            }

            var evaluation = await AccessRules.EvaluateAsync(uow, order.BuyerId, order.ProductId, order.Exclusive, now, order.OrderId);
            if (evaluation.Decision == "rejected")
            {
                await AccessDecisions.RejectAsync(uow, order.OrderId, order.BuyerId, order.ProductId, evaluation.Reason!, evaluation.Message!, now);
                return;
            }

            if (reserving)
            {
                await Reservations.ReserveAsync(uow, order.OrderId, order.ProductId, order.Exclusive, now);
            }

            if (evaluation.Decision == "awaiting-provider")
            {
                var deadline = now + window;
                await AccessDecisions.AwaitProviderAsync(uow, order, evaluation.Product!.OwnerId, deadline, now);
                await uow.PublishAsync(new AccessAwaitingProvider(order.OrderId, order.BuyerId, order.ProductId, evaluation.Product.OwnerId, deadline, now), now);
                return;
            }

            await AccessDecisions.ApproveAsync(uow, order.OrderId, order.BuyerId, order.Exclusive, evaluation, now);
        },
        (uow, givenUp) => uow.PublishAsync(new OrderStepFailed(givenUp.Message.OrderId, RightsModule.Name, "decide access", givenUp.Error, givenUp.Now), givenUp.Now));
}
