using Marketplace.BuildingBlocks.Data;
using Marketplace.Settlement.Journal;

namespace Marketplace.Settlement.Orders;

/// <summary>
/// How every order changes state: the versioned update (a concurrent change — a second acceptance, a cancellation
/// racing it — finds the version moved and loses), then the journal entry, both in the caller's transaction with the
/// money and the messages the change causes.
/// </summary>
internal static class OrderChange
{
    /// <summary>Saves <paramref name="changed"/> over <paramref name="current"/>; null when the order moved meanwhile.</summary>
    public static async Task<(Order Order, JournalEntry Entry)?> SaveAsync(UnitOfWork uow, Order current, Order changed, Guid? actor, DateTimeOffset now)
    {
        changed = changed with { Version = current.Version + 1, UpdatedAt = now };
        if (!await OrderStore.UpdateAsync(uow, changed, current.Version))
        {
            return null;
        }

        return (changed, await TradeJournal.AppendAsync(uow, changed, actor, now));
    }

    public static bool IsOpen(OrderStatus status) =>
        status is OrderStatus.Requested or OrderStatus.AwaitingProvider or OrderStatus.AwaitingQuote or OrderStatus.Quoted;
}
