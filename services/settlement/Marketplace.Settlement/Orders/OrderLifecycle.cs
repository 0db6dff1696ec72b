using System.Collections.Frozen;
using Marketplace.Contracts.Settlement;

namespace Marketplace.Settlement.Orders;

/// <summary>
/// Every state of an order. Requested (both answers awaited) → AwaitingProvider (rights waits for the provider) or
/// AwaitingQuote (approved, the quote not in yet) → Quoted (both in; the buyer sees the quote) → Completed (accepted:
/// settled, voucher issued) ⇄ Disputed. Ends otherwise: Rejected, Expired, Cancelled, Failed, Refunded.
/// </summary>
public enum OrderStatus
{
    Requested,
    AwaitingProvider,
    AwaitingQuote,
    Quoted,
    Completed,
    Disputed,
    Rejected,
    Expired,
    Cancelled,
    Failed,
    Refunded,
}

/// <summary>Why settlement itself moved an order (rights' and pricing's refusals keep the code those services gave).</summary>
public enum OrderReason
{
    CancelledByBuyer,
    QuoteExpired,
    ProviderApprovalLapsed,
    InsufficientFunds,
    BalanceOutOfRange,
    NoAccount,
    InvalidHolders,
    ProcessingFailed,
    DisputeUpheld,
}

/// <summary>
/// The order lifecycle: which state may follow which, and how each reason reads. Endpoints, consumers and timers ask
/// <see cref="Allows"/> before they change an order, <see cref="OrderChange"/> refuses any other change, and the SQL
/// status sets (<see cref="OrderStore"/>) are built from <see cref="WaitingOnExchange"/>.
/// </summary>
public static class OrderLifecycle
{
    /// <summary>Every allowed transition: state → the states it may move to (staying in a state is always allowed).</summary>
    public static readonly FrozenDictionary<OrderStatus, OrderStatus[]> Transitions = new Dictionary<OrderStatus, OrderStatus[]>
    {
        [OrderStatus.Requested] = [OrderStatus.AwaitingProvider, OrderStatus.AwaitingQuote, OrderStatus.Quoted, OrderStatus.Rejected, OrderStatus.Cancelled, OrderStatus.Failed],
        [OrderStatus.AwaitingProvider] = [OrderStatus.AwaitingQuote, OrderStatus.Quoted, OrderStatus.Rejected, OrderStatus.Expired, OrderStatus.Cancelled, OrderStatus.Failed],
        [OrderStatus.AwaitingQuote] = [OrderStatus.Quoted, OrderStatus.Rejected, OrderStatus.Cancelled, OrderStatus.Failed],
        [OrderStatus.Quoted] = [OrderStatus.Completed, OrderStatus.Expired, OrderStatus.Cancelled, OrderStatus.Failed],
        [OrderStatus.Completed] = [OrderStatus.Disputed, OrderStatus.Refunded],
        [OrderStatus.Disputed] = [OrderStatus.Completed, OrderStatus.Refunded],
        [OrderStatus.Rejected] = [],
        [OrderStatus.Expired] = [],
        [OrderStatus.Cancelled] = [],
        [OrderStatus.Failed] = [],
        [OrderStatus.Refunded] = [],
    }.ToFrozenDictionary();

    /// <summary>States in which the order waits on the exchange itself (rights, pricing), not on a person: what admission counts.</summary>
    public static readonly OrderStatus[] WaitingOnExchange = [OrderStatus.Requested, OrderStatus.AwaitingQuote];

    public static bool Allows(OrderStatus from, OrderStatus to) => from == to || Transitions[from].Contains(to);

    /// <summary>Before it is funded, an order can still be cancelled, expire or fail.</summary>
    public static bool IsOpen(OrderStatus status) => Transitions[status].Contains(OrderStatus.Cancelled);

    /// <summary>Whether rights already approved: only then does the buyer see the quote.</summary>
    public static bool IsApproved(OrderStatus status) => status is not (OrderStatus.Requested or OrderStatus.AwaitingProvider or OrderStatus.Rejected);

    /// <summary>The end an unsettled order came to, as rights and pricing learn it; null for any other state.</summary>
    public static OrderEndState? EndState(OrderStatus status) => status switch
    {
        OrderStatus.Rejected => OrderEndState.Rejected,
        OrderStatus.Expired => OrderEndState.Expired,
        OrderStatus.Cancelled => OrderEndState.Cancelled,
        OrderStatus.Failed => OrderEndState.Failed,
        _ => null,
    };

    /// <summary>The stable code a reason is stored and shown as (<c>quote-expired</c>).</summary>
    public static string Code(this OrderReason reason) => Codes[reason];

    private static readonly FrozenDictionary<OrderReason, string> Codes = Enum.GetValues<OrderReason>().ToFrozenDictionary(
        r => r, r => string.Concat(r.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? $"-{char.ToLowerInvariant(c)}" : $"{char.ToLowerInvariant(c)}")));
}
