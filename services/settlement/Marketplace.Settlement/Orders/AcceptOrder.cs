using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Rights;
using Marketplace.Contracts.Settlement;
using Marketplace.Settlement.Ledger;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Settlement.Orders;

/// <summary>
/// <c>POST /settlement/orders/{id}/accept</c> (its buyer): accept the quote. In one transaction: the order becomes
/// Settled (a second acceptance or a racing cancellation finds the version moved: 409), the total is held from the
/// buyer's available funds and posted at once as one balanced entry, and <see cref="TradeSettled"/> and
/// <see cref="IssueLicence"/> are published. A quote past its validity expires the order (409); funds short of the
/// total fail it (422, <c>insufficient-funds</c>): both are ends, recorded in the journal.
/// </summary>
internal static class AcceptOrder
{
    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal user, GroupCommitter<SettlementDb> committer, TradeMoney money, TimeProvider time, CancellationToken ct)
    {
        var buyer = user.ParticipantId()!.Value;
        var now = time.GetUtcNow();
        try
        {
            return await committer.RunAsync<Results<Ok<OrderResponse>, ProblemHttpResult>>(
                async uow =>
                {
                    var order = await OrderStore.FindAsync(uow, id);
                    if (order is null || order.BuyerId != buyer)
                    {
                        return Problems.NotFound("The order");
                    }

                    if (order.Status != OrderStatus.Quoted)
                    {
                        return Problems.IllegalTransition("accept the quote", order.Status.ToString());
                    }

                    if (order.QuoteValidUntil <= now)
                    {
                        await OrderChange.SaveAsync(uow, order, order with { Status = OrderStatus.Expired, Reason = "quote-expired" }, buyer, now);
                        return Problems.IllegalTransition("accept the quote", nameof(OrderStatus.Expired));
                    }

                    var settled = order with
                    {
                        Status = OrderStatus.Settled,
                        SettledAt = now,
                        SettlementEntryId = order.Total > 0 ? TradeMoney.SettlementEntryId(order.Id) : null,
                    };
                    if (await OrderChange.SaveAsync(uow, order, settled, buyer, now) is not { } saved)
                    {
                        return Problems.Conflict("The order changed meanwhile; read it again.");
                    }

                    if (order.Total > 0)
                    {
                        await money.SettleAsync(uow, settled, now);
                    }

                    await uow.PublishAsync(new TradeSettled(order.Id, order.QuoteId!.Value, buyer, order.ProductId, order.PlanId, order.Quantity, order.Currency!, order.Amount!.Value, now), now);
                    await uow.PublishAsync(new IssueLicence(order.Id, buyer, order.ProductId, order.PlanId, order.Purpose, order.TermUnit!.Value, order.TermLength!.Value,
                        null, order.Exclusive, now), now);
                    return TypedResults.Ok(saved.Order.ToResponse());
                },
                ct);
        }
        catch (LedgerException e) when (e.Refusal is LedgerRefusal.InsufficientFunds or LedgerRefusal.UnknownAccount or LedgerRefusal.OutOfRange)
        {
            var reason = e.Refusal switch
            {
                LedgerRefusal.InsufficientFunds => "insufficient-funds",
                LedgerRefusal.OutOfRange => "balance-out-of-range",
                _ => "no-account",
            };
            await committer.RunAsync(
                async uow =>
                {
                    if (await OrderStore.FindAsync(uow, id) is { Status: OrderStatus.Quoted } order)
                    {
                        await OrderChange.SaveAsync(uow, order, order with { Status = OrderStatus.Failed, Reason = reason, ReasonDetail = e.Message }, buyer, now);
                    }

                    return true;
                },
                ct);

            return TypedResults.Problem(
                e.Refusal == LedgerRefusal.InsufficientFunds ? "The buyer's available funds do not cover the quote's total; the order failed." : e.Message,
                statusCode: StatusCodes.Status422UnprocessableEntity, title: "Order failed", extensions: new Dictionary<string, object?> { ["reason"] = reason });
        }
    }

    /// <summary><c>POST /settlement/orders/{id}/cancel</c> (its buyer): before it is funded, an order can be cancelled.</summary>
    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> Cancel(
        Guid id, ClaimsPrincipal user, GroupCommitter<SettlementDb> committer, TimeProvider time, CancellationToken ct)
    {
        var buyer = user.ParticipantId()!.Value;
        return await committer.RunAsync<Results<Ok<OrderResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var order = await OrderStore.FindAsync(uow, id);
                if (order is null || order.BuyerId != buyer)
                {
                    return Problems.NotFound("The order");
                }

                if (!OrderChange.IsOpen(order.Status))
                {
                    return Problems.IllegalTransition("cancel the order", order.Status.ToString());
                }

                var now = time.GetUtcNow();
                if (await OrderChange.SaveAsync(uow, order, order with { Status = OrderStatus.Cancelled, Reason = "cancelled-by-buyer" }, buyer, now) is not { } saved)
                {
                    return Problems.Conflict("The order changed meanwhile; read it again.");
                }

                return TypedResults.Ok(saved.Order.ToResponse());
            },
            ct);
    }
}
