using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Pricing;
using Marketplace.Contracts.Rights;
using Marketplace.Contracts.Settlement;
using Marketplace.Settlement.Vouchers;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Marketplace.Settlement.Orders;

/// <summary>
/// Moves orders on as rights and pricing answer: the access decision (approved → ask pricing for the quote; waiting
/// for the provider; rejected), the quote (issued, refused, expired) and the licence (issued → Completed with its
/// voucher and the dispute window; refused → refunded in full). Each answer is applied once (inbox) and only to an
/// order in the state that expects it — a late answer to a cancelled order changes nothing — with the journal entry,
/// the money and the next messages in the same transaction. When a step fails for good — another service gives up on
/// it (<see cref="OrderStepFailed"/>) or settlement cannot apply an answer — the order ends: Failed before it was
/// funded, refunded in full after.
/// </summary>
public sealed class OrderProgressConsumer(Inbox<SettlementDb> inbox, TradeMoney money, VoucherIssuer vouchers, TimeProvider time, IOptions<SettlementOptions> options) :
    IConsumer<AccessApproved>,
    IConsumer<AccessAwaitingProvider>,
    IConsumer<AccessRejected>,
    IConsumer<QuoteIssued>,
    IConsumer<QuoteRefused>,
    IConsumer<QuoteExpired>,
    IConsumer<LicenceIssued>,
    IConsumer<LicenceRefused>,
    IConsumer<OrderStepFailed>
{
    /// <summary>Why an order ended because a step of it failed for good.</summary>
    public const string StepFailed = "processing-failed";

    private readonly TimeSpan disputeWindow = options.Value.Trades.DisputeWindow;

    public Task Consume(ConsumeContext<AccessApproved> context) => Advance(context, context.Message.OrderId, async (uow, o, now) =>
    {
        if (o.Status is not (OrderStatus.Requested or OrderStatus.AwaitingProvider))
        {
            return null;
        }

        var m = context.Message;
        await uow.PublishAsync(new IssueQuote(DeterministicId.From(o.Id, "quote"), o.Id, o.BuyerId, o.ProductId, o.PlanId, o.Quantity, m.Holders), now);
        return o with
        {
            Status = OrderStatus.AwaitingQuote, SellerId = m.SellerId, CertificateNumber = m.CertificateNumber,
            Holders = System.Text.Json.JsonSerializer.Serialize(m.Holders, Order.Json),
        };
    });

    public Task Consume(ConsumeContext<AccessAwaitingProvider> context) => Advance(context, context.Message.OrderId, (_, o, _) =>
        Task.FromResult(o.Status == OrderStatus.Requested ? o with { Status = OrderStatus.AwaitingProvider, ApprovalDeadline = context.Message.Deadline } : null));

    public Task Consume(ConsumeContext<AccessRejected> context) => Advance(context, context.Message.OrderId, (_, o, _) =>
        Task.FromResult(o.Status is OrderStatus.Requested or OrderStatus.AwaitingProvider
            ? o with
            {
                Status = context.Message.Reason == "provider-approval-lapsed" ? OrderStatus.Expired : OrderStatus.Rejected,
                Reason = context.Message.Reason,
                ReasonDetail = context.Message.Message,
            }
            : null));

    public Task Consume(ConsumeContext<QuoteIssued> context) => Advance(context, context.Message.OrderId, (_, o, _) =>
    {
        var q = context.Message;
        return Task.FromResult(o.Status == OrderStatus.AwaitingQuote
            ? o with
            {
                Status = OrderStatus.Quoted, QuoteId = q.QuoteId, QuoteValidUntil = q.ValidUntil, Currency = q.Currency, Amount = q.Amount,
                ExchangeFee = q.ExchangeFee, Tax = q.Tax, Total = q.Total, Payouts = Payouts.ToJson(q.Payouts), TermUnit = q.TermUnit, TermLength = q.TermLength,
            }
            : null);
    });

    public Task Consume(ConsumeContext<QuoteRefused> context) => Advance(context, context.Message.OrderId, (_, o, _) =>
        Task.FromResult(o.Status == OrderStatus.AwaitingQuote
            ? o with { Status = OrderStatus.Rejected, Reason = context.Message.Reason, ReasonDetail = context.Message.Message }
            : null));

    public Task Consume(ConsumeContext<QuoteExpired> context) => Advance(context, context.Message.OrderId, (_, o, _) =>
        Task.FromResult(o.Status == OrderStatus.Quoted && o.QuoteId == context.Message.QuoteId
            ? o with { Status = OrderStatus.Expired, Reason = "quote-expired" }
            : null));

    public Task Consume(ConsumeContext<LicenceIssued> context) => Advance(context, context.Message.OrderId, (_, o, now) =>
        Task.FromResult(o.Status == OrderStatus.Settled
            ? o with
            {
                Status = OrderStatus.Completed, LicenceId = context.Message.LicenceId, LicenceEndsAt = context.Message.EndsAt, CompletedAt = now,
                ReleaseAt = now + disputeWindow,
            }
            : null),
        after: (uow, completed, entry, now) => vouchers.IssueAsync(uow, completed, entry, now));

    public Task Consume(ConsumeContext<LicenceRefused> context) => Advance(context, context.Message.OrderId, (uow, o, now) =>
        o.Status == OrderStatus.Settled ? RefundAsync(uow, o, context.Message.Reason, context.Message.Message, now) : Task.FromResult<Order?>(null));

    public Task Consume(ConsumeContext<OrderStepFailed> context) => Advance(context, context.Message.OrderId, (uow, o, now) =>
        EndAsync(uow, o, $"{context.Message.Service} could not {context.Message.Step}: {context.Message.Error}", now));

    /// <summary>Ends an order whose step failed for good: Failed while open, refunded in full once settled; a later state stays.</summary>
    private async Task<Order?> EndAsync(UnitOfWork uow, Order o, string detail, DateTimeOffset now) =>
        OrderChange.IsOpen(o.Status) ? o with { Status = OrderStatus.Failed, Reason = StepFailed, ReasonDetail = detail }
        : o.Status == OrderStatus.Settled ? await RefundAsync(uow, o, StepFailed, detail, now)
        : null;

    private async Task<Order?> RefundAsync(UnitOfWork uow, Order o, string reason, string detail, DateTimeOffset now)
    {
        if (o.Total > 0)
        {
            await money.RefundAsync(uow, o, TradeMoney.NetRemaining(o), full: true, o.BuyerId, "refund-licence-refused", now);
        }

        await uow.PublishAsync(new TradeRefunded(o.Id, o.BuyerId, o.ProductId, o.Currency!, o.Total!.Value, true, reason, now), now);
        return o with { Status = OrderStatus.Refunded, Reason = reason, ReasonDetail = detail, Refunded = o.Total ?? 0 };
    }

    private Task Advance<T>(
        ConsumeContext<T> context, Guid orderId, Func<UnitOfWork, Order, DateTimeOffset, Task<Order?>> decide,
        Func<UnitOfWork, Order, Journal.JournalEntry, DateTimeOffset, Task>? after = null)
        where T : class =>
        inbox.ProcessOnceAsync(
            context,
            nameof(OrderProgressConsumer),
            uow => ApplyAsync(uow, orderId, decide, after),
            // Settlement itself cannot apply the answer: the order ends rather than wait for an answer that will not come.
            (uow, givenUp) => ApplyAsync(uow, orderId, (u, o, now) => EndAsync(u, o, $"settlement could not apply {typeof(T).Name}: {givenUp.Error}", now), null));

    private async Task ApplyAsync(
        UnitOfWork uow, Guid orderId, Func<UnitOfWork, Order, DateTimeOffset, Task<Order?>> decide,
        Func<UnitOfWork, Order, Journal.JournalEntry, DateTimeOffset, Task>? after)
    {
        var order = await OrderStore.FindAsync(uow, orderId);
        if (order is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (await decide(uow, order, now) is not { } changed)
        {
            return;
        }

        var saved = await OrderChange.SaveAsync(uow, order, changed, null, now)
            ?? throw new InvalidOperationException($"Order {orderId} changed while an answer was applied; the retry applies it again.");
        if (after is not null)
        {
            await after(uow, saved.Order, saved.Entry, now);
        }
    }
}
