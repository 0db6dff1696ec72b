using Marketplace.BuildingBlocks;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Rights;
using Marketplace.Settlement.Accounts;
using Marketplace.Settlement.Ledger;

namespace Marketplace.Settlement.Orders;

/// <summary>
/// The money of a trade, each movement one balanced entry with an id derived from the order (so a retry finds the
/// entry it made): escrow (a hold of the total on the buyer's available funds) posted at once to each holder's
/// payable account (the quote's payouts, exact to the fen), the exchange's fee revenue and tax payable; refunds back
/// to the buyer; and the release of the holders' proceeds to their available funds after the dispute window.
/// </summary>
public sealed class TradeMoney(Ledger.LedgerPoster ledger, Holds holds)
{
    public static Guid HoldId(Guid orderId) => DeterministicId.From(orderId, "escrow");

    public static Guid SettlementEntryId(Guid orderId) => DeterministicId.From(HoldId(orderId), "post");

    /// <summary>Holds the total and posts it: holders' payables, fee revenue, tax payable. Throws <see cref="LedgerException"/> when it cannot.</summary>
    public async Task SettleAsync(UnitOfWork uow, Order order, DateTimeOffset now)
    {
        var currency = order.Currency!;
        var destinations = new List<(Guid, long)>();
        foreach (var payout in order.PayoutList.Where(p => p.Amount > 0))
        {
            destinations.Add((await AccountAsync(uow, payout.HolderId, AccountKind.Payable, currency), payout.Amount));
        }

        if (order.ExchangeFee > 0)
        {
            destinations.Add((await ExchangeAsync(uow, AccountKind.FeeRevenue, currency), order.ExchangeFee!.Value));
        }

        if (order.Tax > 0)
        {
            destinations.Add((await ExchangeAsync(uow, AccountKind.TaxPayable, currency), order.Tax!.Value));
        }

        var holdId = HoldId(order.Id);
        await holds.PlaceAsync(uow, holdId, order.BuyerId, currency, order.Total!.Value, "trade", order.BuyerId, now);
        await holds.PostAsync(uow, holdId, destinations, "trade", order.BuyerId, now);
    }

    /// <summary>
    /// Gives the buyer back <paramref name="fromHolders"/> out of the holders' payables (split by their shares) and,
    /// on a full refund, the fee and the tax too.
    /// </summary>
    public async Task RefundAsync(UnitOfWork uow, Order order, long fromHolders, bool full, Guid actor, string step, DateTimeOffset now)
    {
        var currency = order.Currency!;
        var legs = new List<Leg>();
        var parts = Split(order, fromHolders);
        foreach (var (payout, part) in order.PayoutList.Zip(parts))
        {
            if (part > 0)
            {
                legs.Add(new Leg(await AccountAsync(uow, payout.HolderId, AccountKind.Payable, currency), currency, -part));
            }
        }

        var back = fromHolders;
        if (full && order.ExchangeFee > 0)
        {
            legs.Add(new Leg(await ExchangeAsync(uow, AccountKind.FeeRevenue, currency), currency, -order.ExchangeFee!.Value));
            back += order.ExchangeFee!.Value;
        }

        if (full && order.Tax > 0)
        {
            legs.Add(new Leg(await ExchangeAsync(uow, AccountKind.TaxPayable, currency), currency, -order.Tax!.Value));
            back += order.Tax!.Value;
        }

        if (back == 0)
        {
            return;
        }

        legs.Add(new Leg(await AccountAsync(uow, order.BuyerId, AccountKind.Available, currency), currency, back));
        await ledger.PostAsync(uow, new EntryRequest(DeterministicId.From(order.Id, step), "refund", $"refund of order {order.Id}", legs, actor), now);
    }

    /// <summary>Moves what each holder still has from the trade from its payable to its available account.</summary>
    public async Task ReleaseAsync(UnitOfWork uow, Order order, Guid actor, DateTimeOffset now)
    {
        var currency = order.Currency!;
        var legs = new List<Leg>();
        var refunded = Split(order, HoldersRefunded(order));
        foreach (var (payout, back) in order.PayoutList.Zip(refunded))
        {
            var left = payout.Amount - back;
            if (left > 0)
            {
                legs.Add(new Leg(await AccountAsync(uow, payout.HolderId, AccountKind.Payable, currency), currency, -left));
                legs.Add(new Leg(await AccountAsync(uow, payout.HolderId, AccountKind.Available, currency), currency, left));
            }
        }

        if (legs.Count > 0)
        {
            await ledger.PostAsync(uow, new EntryRequest(DeterministicId.From(order.Id, "release"), "release", $"proceeds of order {order.Id}", legs, actor), now);
        }
    }

    /// <summary>What the holders still hold of the trade's net proceeds.</summary>
    public static long NetRemaining(Order order) => order.PayoutList.Sum(p => p.Amount) - HoldersRefunded(order);

    /// <summary>
    /// What of the refunds came out of the holders' proceeds. <see cref="Order.Refunded"/> is what the buyer got back in
    /// all: partial refunds come out of the holders alone, and only a full refund (the whole total) also returns the
    /// exchange's fee and the tax — so the holders' part is the refunded amount, capped at their proceeds.
    /// </summary>
    public static long HoldersRefunded(Order order) => Math.Min(order.Refunded, order.PayoutList.Sum(p => p.Amount));

    private static long[] Split(Order order, long amount) =>
        amount == 0 ? new long[order.PayoutList.Count] : Money.Split(amount, [.. order.PayoutList.Select(p => p.ShareBps)]);

    private static async Task<Guid> AccountAsync(UnitOfWork uow, Guid owner, AccountKind kind, string currency) =>
        await AccountDirectory.ParticipantAsync(uow, owner, kind, currency)
        ?? throw new LedgerException(LedgerRefusal.UnknownAccount, $"Participant {owner} has no {kind} account in {currency}.");

    private static async Task<Guid> ExchangeAsync(UnitOfWork uow, AccountKind kind, string currency) =>
        await AccountDirectory.ExchangeAsync(uow, kind, currency)
        ?? throw new LedgerException(LedgerRefusal.UnknownAccount, $"The exchange has no {kind} account in {currency}.");
}

/// <summary>What each holder receives of a trade, and how the order stores it.</summary>
internal static class Payouts
{
    /// <summary>The holders' proceeds split by their shares, largest remainder, exact to the fen.</summary>
    public static IReadOnlyList<HolderPayout> Split(long proceeds, IReadOnlyList<HolderShare> holders)
    {
        var parts = Money.Split(proceeds, [.. holders.Select(h => h.ShareBps)]);
        return [.. holders.Select((h, i) => new HolderPayout(h.HolderId, h.ShareBps, parts[i]))];
    }

    public static string ToJson(IReadOnlyList<HolderPayout> payouts) => System.Text.Json.JsonSerializer.Serialize(payouts, Order.Json);
}
