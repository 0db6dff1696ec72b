using System.Text.Json;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Pricing;
using Marketplace.Contracts.Rights;
using Marketplace.Contracts.Settlement;
using MassTransit;

namespace Marketplace.Settlement.Orders;

/// <summary>
/// Moves orders on as rights and pricing answer <see cref="OrderPlaced"/>, in whichever order the answers come: the
/// access decision (approved, waiting for the provider, rejected) and the quote (issued, refused, expired). Once both
/// are in and rights approved, the order is Quoted, with the holders' payouts split here from the quote's amount less
/// the fee by the shares the decision carried. A quote that lapsed while the provider was deciding is asked for again
/// (<see cref="IssueQuote"/>). After completion, a licence rights cannot issue (<see cref="LicenceRefused"/>) refunds
/// the trade in full. Each answer is applied once (inbox) and only to an order in a state that expects it — a late
/// answer to a cancelled order changes nothing — with the journal entry, the money and the next messages in the same
/// transaction. When a step fails for good — another service gives up on it (<see cref="OrderStepFailed"/>) or
/// settlement cannot apply an answer — the order ends: Failed before it was funded, refunded in full after.
/// </summary>
public sealed class OrderProgressConsumer(Inbox<SettlementDb> inbox, TradeMoney money, TimeProvider time) :
    IConsumer<AccessApproved>,
    IConsumer<AccessAwaitingProvider>,
    IConsumer<AccessRejected>,
    IConsumer<QuoteIssued>,
    IConsumer<QuoteRefused>,
    IConsumer<QuoteExpired>,
    IConsumer<LicenceRefused>,
    IConsumer<OrderStepFailed>
{
    /// <summary>Why an order ended because a step of it failed for good.</summary>
    public static readonly string StepFailed = OrderReason.ProcessingFailed.Code();

    public Task Consume(ConsumeContext<AccessApproved> context) => Advance(context, context.Message.OrderId, async (uow, o, now) =>
    {
        if (o.Status is not (OrderStatus.Requested or OrderStatus.AwaitingProvider))
        {
            return null;
        }

        var m = context.Message;
        if (HolderProblem(m.Holders) is { } problem)
        {
            return o with { Status = OrderStatus.Failed, Reason = OrderReason.InvalidHolders.Code(), ReasonDetail = problem };
        }

        var approved = o with { SellerId = m.SellerId, CertificateNumber = m.CertificateNumber, Holders = JsonSerializer.Serialize(m.Holders, Order.Json) };
        if (o.QuoteId is null)
        {
            return approved with { Status = OrderStatus.AwaitingQuote };
        }

        if (o.QuoteValidUntil > now)
        {
            return Quoted(approved);
        }

        // The quote lapsed while the provider decided: ask for a fresh one, keyed by this version so a retry asks once.
        await uow.PublishAsync(new IssueQuote(DeterministicId.From(o.Id, $"quote-{o.Version}"), o.Id, o.BuyerId, o.ProductId, o.PlanId, o.Quantity), now);
        return WithoutQuote(approved) with { Status = OrderStatus.AwaitingQuote };
    });

    public Task Consume(ConsumeContext<AccessAwaitingProvider> context) => Advance(context, context.Message.OrderId, (_, o, _) =>
        Task.FromResult(o.Status == OrderStatus.Requested ? o with { Status = OrderStatus.AwaitingProvider, ApprovalDeadline = context.Message.Deadline } : null));

    public Task Consume(ConsumeContext<AccessRejected> context) => Advance(context, context.Message.OrderId, (_, o, _) =>
        Task.FromResult(o.Status is OrderStatus.Requested or OrderStatus.AwaitingProvider
            ? o with
            {
                Status = context.Message.Reason == OrderReason.ProviderApprovalLapsed.Code() ? OrderStatus.Expired : OrderStatus.Rejected,
                Reason = context.Message.Reason,
                ReasonDetail = context.Message.Message,
            }
            : null));

    public Task Consume(ConsumeContext<QuoteIssued> context) => Advance(context, context.Message.OrderId, (_, o, _) =>
    {
        var q = context.Message;
        if (o.QuoteId is not null || o.Status is not (OrderStatus.Requested or OrderStatus.AwaitingProvider or OrderStatus.AwaitingQuote))
        {
            return Task.FromResult<Order?>(null);
        }

        var withQuote = o with
        {
            QuoteId = q.QuoteId, QuoteValidUntil = q.ValidUntil, Currency = q.Currency, Amount = q.Amount, ExchangeFee = q.ExchangeFee, Tax = q.Tax,
            Total = q.Total, TermUnit = q.TermUnit, TermLength = q.TermLength,
        };
        return Task.FromResult<Order?>(o.Status == OrderStatus.AwaitingQuote ? Quoted(withQuote) : withQuote);
    });

    public Task Consume(ConsumeContext<QuoteRefused> context) => Advance(context, context.Message.OrderId, (_, o, _) =>
        Task.FromResult(o.Status is OrderStatus.Requested or OrderStatus.AwaitingProvider or OrderStatus.AwaitingQuote
            ? o with { Status = OrderStatus.Rejected, Reason = context.Message.Reason, ReasonDetail = context.Message.Message }
            : null));

    /// <summary>A quote that lapses before rights approved is asked for again at the approval; only a shown quote expires the order.</summary>
    public Task Consume(ConsumeContext<QuoteExpired> context) => Advance(context, context.Message.OrderId, (_, o, _) =>
        Task.FromResult(o.Status == OrderStatus.Quoted && o.QuoteId == context.Message.QuoteId
            ? o with { Status = OrderStatus.Expired, Reason = OrderReason.QuoteExpired.Code() }
            : null));

    public Task Consume(ConsumeContext<LicenceRefused> context) => Advance(context, context.Message.OrderId, (uow, o, now) =>
        o.Status is OrderStatus.Completed or OrderStatus.Disputed
            ? RefundAsync(uow, o, context.Message.Reason, context.Message.Message, now)
            : Task.FromResult<Order?>(null));

    public Task Consume(ConsumeContext<OrderStepFailed> context) => Advance(context, context.Message.OrderId, (uow, o, now) =>
        EndAsync(uow, o, $"{context.Message.Service} could not {context.Message.Step}: {context.Message.Error}", now));

    /// <summary>Both answers are in: the order shows its quote, and the holders' payouts are split from it.</summary>
    private static Order Quoted(Order o) => o with
    {
        Status = OrderStatus.Quoted,
        Payouts = Orders.Payouts.ToJson(Orders.Payouts.Split(o.Amount!.Value - o.ExchangeFee!.Value, o.HolderList)),
    };

    private static Order WithoutQuote(Order o) => o with
    {
        QuoteId = null, QuoteValidUntil = null, Currency = null, Amount = null, ExchangeFee = null, Tax = null, Total = null, TermUnit = null, TermLength = null,
    };

    /// <summary>Settlement splits proceeds by the decision's shares, so it checks them: 1 to 20 distinct holders whose shares sum to 10,000.</summary>
    private static string? HolderProblem(IReadOnlyList<HolderShare>? holders)
    {
        holders ??= [];
        if (holders.Count is 0 or > 20)
        {
            return "A trade has 1 to 20 rights holders.";
        }

        if (holders.Any(h => h.ShareBps is < 1 or > 10_000) || holders.Sum(h => (long)h.ShareBps) != 10_000)
        {
            return "Holders' shares must be positive and sum to exactly 10,000 basis points.";
        }

        return holders.Select(h => h.HolderId).Distinct().Count() != holders.Count ? "A holder may appear once." : null;
    }

    /// <summary>Ends an order whose step failed for good: Failed while open, refunded in full once settled; a later state stays.</summary>
    private async Task<Order?> EndAsync(UnitOfWork uow, Order o, string detail, DateTimeOffset now) =>
        OrderLifecycle.IsOpen(o.Status) ? o with { Status = OrderStatus.Failed, Reason = StepFailed, ReasonDetail = detail }
        : o.Status is OrderStatus.Completed or OrderStatus.Disputed ? await RefundAsync(uow, o, StepFailed, detail, now)
        : null;

    private async Task<Order?> RefundAsync(UnitOfWork uow, Order o, string reason, string detail, DateTimeOffset now)
    {
        if (o.Total > 0)
        {
            await money.RefundAsync(uow, o, TradeMoney.NetRemaining(o), full: true, o.BuyerId, "refund-licence-refused", now);
        }

        await uow.PublishAsync(new TradeRefunded(o.Id, o.BuyerId, o.ProductId, o.Currency!, o.Total!.Value, true, reason, now), now);
        return o with { Status = OrderStatus.Refunded, Reason = reason, ReasonDetail = detail, Refunded = o.Total ?? 0, LicenceId = null, LicenceStatus = null, LicenceStatusAt = null };
    }

    private Task Advance<T>(ConsumeContext<T> context, Guid orderId, Func<UnitOfWork, Order, DateTimeOffset, Task<Order?>> decide)
        where T : class =>
        inbox.ProcessOnceAsync(
            context,
            nameof(OrderProgressConsumer),
            uow => ApplyAsync(uow, orderId, decide),
            // Settlement itself cannot apply the answer: the order ends rather than wait for an answer that will not come.
            (uow, givenUp) => ApplyAsync(uow, orderId, (u, o, now) => EndAsync(u, o, $"settlement could not apply {typeof(T).Name}: {givenUp.Error}", now)));

    private async Task ApplyAsync(UnitOfWork uow, Guid orderId, Func<UnitOfWork, Order, DateTimeOffset, Task<Order?>> decide)
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

        _ = await OrderChange.SaveAsync(uow, order, changed, null, now)
            ?? throw new InvalidOperationException($"Order {orderId} changed while an answer was applied; the retry applies it again.");
    }
}
