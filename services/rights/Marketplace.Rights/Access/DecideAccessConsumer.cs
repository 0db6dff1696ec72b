using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Rights;
using Marketplace.Contracts.Settlement;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Marketplace.Rights.Access;

/// <summary>
/// Answers settlement's <see cref="DecideAccess"/> by <see cref="AccessRules"/>: rejected with the first failing rule's
/// code; approved with the seller's certificate holders and shares; or, for a product that asks for it, awaiting the
/// provider until a deadline (<c>Rights:Access:ApprovalWindow</c>, default 72 hours). Once per message (inbox) and
/// once per order. A request it gives up on ends the order (<see cref="OrderStepFailed"/>).
/// </summary>
public sealed class DecideAccessConsumer(Inbox<RightsDb> inbox, TimeProvider time, IOptions<RightsOptions> options) : IConsumer<DecideAccess>
{
    private readonly TimeSpan window = options.Value.Access.ApprovalWindow;

    public Task Consume(ConsumeContext<DecideAccess> context) =>
        inbox.ProcessOnceAsync(context, nameof(DecideAccessConsumer), async uow =>
        {
            var request = context.Message;
            if (await AccessDecisions.FindAsync(uow, request.OrderId) is not null)
            {
                return;
            }

            var now = time.GetUtcNow();
            var evaluation = await AccessRules.EvaluateAsync(uow, request.BuyerId, request.ProductId, request.Exclusive, now);
            switch (evaluation.Decision)
            {
                case "rejected":
                    await AccessDecisions.RejectAsync(uow, request.OrderId, request.BuyerId, request.ProductId, evaluation.Reason!, evaluation.Message!, now);
                    break;
                case "awaiting-provider":
                    var deadline = now + window;
                    await AccessDecisions.AwaitProviderAsync(uow, request, evaluation.Product!.OwnerId, deadline, now);
                    await uow.PublishAsync(new AccessAwaitingProvider(request.OrderId, request.BuyerId, request.ProductId, evaluation.Product.OwnerId, deadline, now), now);
                    break;
                default:
                    await AccessDecisions.ApproveAsync(uow, request.OrderId, request.BuyerId, request.Exclusive, evaluation, now);
                    break;
            }
        },
        (uow, givenUp) => uow.PublishAsync(new OrderStepFailed(givenUp.Message.OrderId, RightsModule.Name, "decide access", givenUp.Error, givenUp.Now), givenUp.Now));
}
