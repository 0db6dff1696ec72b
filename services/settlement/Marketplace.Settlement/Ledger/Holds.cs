using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Settlement.Ledger;

public enum HoldStatus
{
    Pending,
    Posted,
    Voided,
}

/// <summary>A two-phase transfer: funds reserved from a participant's available balance, then posted or voided.</summary>
public sealed record Hold
{
    public Guid Id { get; init; }

    public Guid OwnerId { get; init; }

    public Guid AvailableAccountId { get; init; }

    public Guid HeldAccountId { get; init; }

    public string Currency { get; init; } = "";

    public long Amount { get; init; }

    public string Purpose { get; init; } = "";

    public HoldStatus Status { get; init; }

    public Guid PlacedEntryId { get; init; }

    public Guid? ClosedEntryId { get; init; }
}

/// <summary>
/// Two-phase holds over the ledger. Placing moves the amount from the owner's available account to its held account;
/// posting moves it from held to its destinations; voiding moves it back. Each step is one balanced entry whose id is
/// derived from the hold's, and the hold's status changes with a guarded update, so a hold is posted or voided at
/// most once, even by concurrent callers.
/// </summary>
public sealed class Holds(LedgerPoster ledger)
{
    private const string FindSql = """
        SELECT id, owner_id, available_account_id, held_account_id, currency, amount, purpose, status,
               placed_entry_id, closed_entry_id
        FROM settlement.holds WHERE id = @Id
        """;

    private const string OwnerAccountsSql = """
        SELECT id, kind FROM settlement.accounts
        WHERE owner_id = @OwnerId AND currency = @Currency AND kind IN ('Available', 'Held')
        """;

    private const string InsertSql = """
        INSERT INTO settlement.holds
            (id, owner_id, available_account_id, held_account_id, currency, amount, purpose, status, placed_entry_id,
             version, placed_at)
        VALUES
            (@Id, @OwnerId, @AvailableAccountId, @HeldAccountId, @Currency, @Amount, @Purpose, 'Pending', @PlacedEntryId,
             1, @Now)
        """;

    private const string CloseSql = """
        UPDATE settlement.holds
        SET status = @Status, closed_entry_id = @EntryId, closed_at = @Now, version = version + 1
        WHERE id = @Id AND status = 'Pending'
        """;

    public static Task<Hold?> FindAsync(UnitOfWork uow, Guid id) => uow.QuerySingleOrDefaultAsync<Hold>(FindSql, new { Id = id });

    public async Task<Hold> PlaceAsync(
        UnitOfWork uow, Guid holdId, Guid ownerId, string currency, long amount, string purpose, Guid actor, DateTimeOffset now)
    {
        if (await FindAsync(uow, holdId) is { } existing)
        {
            return existing.OwnerId == ownerId && existing.Currency == currency && existing.Amount == amount && existing.Purpose == purpose
                ? existing
                : throw new LedgerException(LedgerRefusal.IdConflict, $"Hold {holdId} was placed before with other content.");
        }

        var accounts = (await uow.QueryAsync<OwnerAccount>(OwnerAccountsSql, new { OwnerId = ownerId, Currency = currency }))
            .ToDictionary(a => a.Kind, a => a.Id);
        if (!accounts.TryGetValue("Available", out var available) || !accounts.TryGetValue("Held", out var held))
        {
            throw new LedgerException(LedgerRefusal.UnknownAccount, $"Participant {ownerId} has no {currency} accounts.");
        }

        var hold = new Hold
        {
            Id = holdId,
            OwnerId = ownerId,
            AvailableAccountId = available,
            HeldAccountId = held,
            Currency = currency,
            Amount = amount,
            Purpose = purpose,
            Status = HoldStatus.Pending,
            PlacedEntryId = DeterministicId.From(holdId, "place"),
        };
        await ledger.PostAsync(uow, new EntryRequest(
            hold.PlacedEntryId, "hold", $"{purpose} hold {holdId}", [new Leg(available, currency, -amount), new Leg(held, currency, amount)], actor), now);
        await uow.ExecuteAsync(InsertSql, new
        {
            hold.Id,
            hold.OwnerId,
            hold.AvailableAccountId,
            hold.HeldAccountId,
            hold.Currency,
            hold.Amount,
            hold.Purpose,
            hold.PlacedEntryId,
            Now = now,
        });
        return hold;
    }

    /// <summary>Moves the held amount to <paramref name="destinations"/>, which must add up to it exactly.</summary>
    public async Task<PostedEntry> PostAsync(
        UnitOfWork uow, Guid holdId, IReadOnlyList<(Guid AccountId, long Amount)> destinations, string kind, Guid actor, DateTimeOffset now)
    {
        var hold = await PendingAsync(uow, holdId, "post");
        if (destinations.Sum(d => d.Amount) != hold.Amount)
        {
            throw new LedgerException(LedgerRefusal.Unbalanced, $"The destinations must add up to the held {hold.Amount}.");
        }

        var entryId = DeterministicId.From(holdId, "post");
        await CloseAsync(uow, hold, HoldStatus.Posted, entryId, now);
        return await ledger.PostAsync(uow, new EntryRequest(
            entryId,
            kind,
            $"{hold.Purpose} hold {holdId} posted",
            [new Leg(hold.HeldAccountId, hold.Currency, -hold.Amount), .. destinations.Select(d => new Leg(d.AccountId, hold.Currency, d.Amount))],
            actor), now);
    }

    /// <summary>Returns the held amount to the owner's available account.</summary>
    public async Task<PostedEntry> VoidAsync(UnitOfWork uow, Guid holdId, Guid actor, DateTimeOffset now)
    {
        var hold = await PendingAsync(uow, holdId, "void");
        var entryId = DeterministicId.From(holdId, "void");
        await CloseAsync(uow, hold, HoldStatus.Voided, entryId, now);
        return await ledger.PostAsync(uow, new EntryRequest(
            entryId,
            "void",
            $"{hold.Purpose} hold {holdId} voided",
            [new Leg(hold.HeldAccountId, hold.Currency, -hold.Amount), new Leg(hold.AvailableAccountId, hold.Currency, hold.Amount)],
            actor), now);
    }

    private static async Task<Hold> PendingAsync(UnitOfWork uow, Guid holdId, string action)
    {
        var hold = await FindAsync(uow, holdId)
            ?? throw new LedgerException(LedgerRefusal.HoldNotPending, $"There is no hold {holdId}.");
        return hold.Status == HoldStatus.Pending
            ? hold
            : throw new LedgerException(LedgerRefusal.HoldNotPending, $"Cannot {action} hold {holdId}: it is {hold.Status}.");
    }

    private static async Task CloseAsync(UnitOfWork uow, Hold hold, HoldStatus status, Guid entryId, DateTimeOffset now)
    {
        var closed = await uow.ExecuteAsync(CloseSql, new { hold.Id, Status = status.ToString(), EntryId = entryId, Now = now });
        if (closed == 0)
        {
            throw new LedgerException(LedgerRefusal.HoldNotPending, $"Hold {hold.Id} was closed by a concurrent request.");
        }
    }

    private sealed record OwnerAccount
    {
        public Guid Id { get; init; }

        public string Kind { get; init; } = "";
    }
}
