using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Pricing;
using Marketplace.Contracts.Settlement;
using Marketplace.Settlement.Ledger;
using Marketplace.Settlement.Vouchers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Marketplace.Settlement.Orders;

/// <summary>
/// <c>POST /settlement/orders/{id}/accept</c> (its buyer): accept the quote. In one transaction: the order becomes
/// Completed (a second acceptance or a racing cancellation finds the version moved: 409), the total is held from the
/// buyer's available funds and posted at once as one balanced entry, the voucher is signed (naming the licence, whose id
/// is derived from the order's), and <see cref="TradeSettled"/> is published — rights issues the licence on it. A quote
/// past its validity expires the order (409); funds short of the total fail it (422, <c>insufficient-funds</c>): both
/// are ends, recorded in the journal.
/// </summary>
internal static class AcceptOrder
{
    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal user, GroupCommitter<SettlementDb> committer, TradeMoney money, VoucherIssuer vouchers, IOptions<SettlementOptions> options,
        TimeProvider time, CancellationToken ct)
    {
        var buyer = user.ParticipantId()!.Value;
        var now = time.GetUtcNow();
        var disputeWindow = options.Value.Trades.DisputeWindow;
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
                        await OrderChange.SaveAsync(uow, order, order with { Status = OrderStatus.Expired, Reason = OrderReason.QuoteExpired.Code() }, buyer, now);
                        return Problems.IllegalTransition("accept the quote", nameof(OrderStatus.Expired));
                    }

                    var completed = order with
                    {
                        Status = OrderStatus.Completed,
                        SettledAt = now,
                        CompletedAt = now,
                        ReleaseAt = now + disputeWindow,
                        SettlementEntryId = order.Total > 0 ? TradeMoney.SettlementEntryId(order.Id) : null,
                        LicenceId = LicenceOf(order.Id),
                        LicenceEndsAt = LicenceEnds(now, order.TermUnit!.Value, order.TermLength!.Value),
                        LicenceStatus = LicenceState.Active,
                        LicenceStatusAt = now,
                    };
                    if (await OrderChange.SaveAsync(uow, order, completed, buyer, now) is not { } saved)
                    {
                        return Problems.Conflict("The order changed meanwhile; read it again.");
                    }

                    if (order.Total > 0)
                    {
                        await money.SettleAsync(uow, completed, now);
                    }

                    await vouchers.IssueAsync(uow, saved.Order, saved.Entry, now);
                    await uow.PublishAsync(new TradeSettled(
                        order.Id, order.QuoteId!.Value, buyer, order.SellerId, order.ProductId, order.PlanId, order.Quantity, order.Currency!, order.Amount!.Value,
                        completed.LicenceId!.Value, order.Purpose, order.Exclusive, completed.LicenceEndsAt!.Value, now), now);
                    return TypedResults.Ok(saved.Order.ToResponse());
                },
                ct);
        }
        catch (LedgerException e) when (e.Refusal is LedgerRefusal.InsufficientFunds or LedgerRefusal.UnknownAccount or LedgerRefusal.OutOfRange)
        {
            var reason = (e.Refusal switch
            {
                LedgerRefusal.InsufficientFunds => OrderReason.InsufficientFunds,
                LedgerRefusal.OutOfRange => OrderReason.BalanceOutOfRange,
                _ => OrderReason.NoAccount,
            }).Code();
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

                if (!OrderLifecycle.IsOpen(order.Status))
                {
                    return Problems.IllegalTransition("cancel the order", order.Status.ToString());
                }

                var now = time.GetUtcNow();
                if (await OrderChange.SaveAsync(uow, order, order with { Status = OrderStatus.Cancelled, Reason = OrderReason.CancelledByBuyer.Code() }, buyer, now) is not { } saved)
                {
                    return Problems.Conflict("The order changed meanwhile; read it again.");
                }

                return TypedResults.Ok(saved.Order.ToResponse());
            },
            ct);
    }

    /// <summary>The licence a trade buys is named before rights issues it: its id is derived from the order's.</summary>
    public static Guid LicenceOf(Guid orderId) => DeterministicId.From(orderId, "licence");

    /// <summary>When a licence of <paramref name="length"/> × <paramref name="unit"/> starting at <paramref name="starts"/> ends.</summary>
    public static DateTimeOffset LicenceEnds(DateTimeOffset starts, TermUnit unit, int length) => unit switch
    {
        TermUnit.Day => starts.AddDays(length),
        TermUnit.Month => starts.AddMonths(length),
        _ => starts.AddYears(length),
    };
}
