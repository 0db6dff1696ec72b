namespace Marketplace.Contracts.Settlement;

/// <summary>
/// An order ended before it was settled (<paramref name="State"/>; <paramref name="Reason"/> a stable code): rights releases what it reserved for the order, pricing the
/// trial its quote used. A settled order ends by <see cref="TradeRefunded"/> or stays completed.
/// </summary>
public sealed record OrderEnded(Guid OrderId, Guid BuyerId, Guid ProductId, OrderEndState State, string Reason, DateTimeOffset EndedAt);

/// <summary>How an order ended before it was settled.</summary>
public enum OrderEndState
{
    Rejected,
    Expired,
    Cancelled,
    Failed,
}
