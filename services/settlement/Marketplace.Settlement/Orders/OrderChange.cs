using Marketplace.BuildingBlocks.Data;
using Marketplace.Contracts.Settlement;
using Marketplace.Settlement.Journal;

namespace Marketplace.Settlement.Orders;

/// <summary>
/// How every order changes state: the lifecycle's check, the versioned update (a concurrent change — a second
/// acceptance, a cancellation racing it — finds the version moved and loses), the journal entry and, when an unsettled
/// order ends, <see cref="OrderEnded"/> — all in the caller's transaction with the money and the other messages the
/// change causes.
/// </summary>
internal static class OrderChange
{
    /// <summary>Saves <paramref name="changed"/> over <paramref name="current"/>; null when the order moved meanwhile.</summary>
    public static async Task<(Order Order, JournalEntry Entry)?> SaveAsync(UnitOfWork uow, Order current, Order changed, Guid? actor, DateTimeOffset now)
    {
        if (!OrderLifecycle.Allows(current.Status, changed.Status))
        {
            throw new InvalidOperationException($"Order {current.Id} cannot go from {current.Status} to {changed.Status}.");
        }

        changed = changed with { Version = current.Version + 1, UpdatedAt = now };
        if (!await OrderStore.UpdateAsync(uow, changed, current.Version))
        {
            return null;
        }

        if (changed.Status != current.Status && OrderLifecycle.EndState(changed.Status) is { } end)
        {
            await uow.PublishAsync(new OrderEnded(changed.Id, changed.BuyerId, changed.ProductId, end, changed.Reason ?? "", now), now);
        }

        return (changed, await TradeJournal.AppendAsync(uow, current, changed, actor, now));
    }
}
