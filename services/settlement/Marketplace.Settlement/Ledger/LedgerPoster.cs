using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Settlement.Ledger;

/// <summary>
/// Posts balanced, immutable journal entries inside the caller's unit of work (so a trade's state, its money and its
/// events commit together). Each leg updates its account's balance with the limit checked in the same statement;
/// accounts are touched in ascending id order, so two entries over the same accounts never deadlock on SQL Server.
/// A balance never leaves ±<see cref="MaxBalance"/>: each leg's update carries the bounds its amount leaves room for
/// (computed here, so the database never adds past 64 bits — SQLite would turn the sum into a float, SQL Server
/// would fail the statement), and an entry that would cross them is refused before anything is written.
/// </summary>
public sealed class LedgerPoster(SettlementDb db)
{
    /// <summary>The largest balance, either way, any account may hold: 2⁶³ − 1 minor units.</summary>
    public const long MaxBalance = long.MaxValue;

    private const string FindEntrySql = """
        SELECT id, kind, content_hash, created_at FROM settlement.entries WHERE id = @Id
        """;

    private const string EntryLegsSql = """
        SELECT account_id, currency, amount, balance_after FROM settlement.postings WHERE entry_id = @Id ORDER BY seq
        """;

    private const string ApplySqlServer = """
        UPDATE settlement.accounts SET balance = balance + @Amount, version = version + 1
        OUTPUT inserted.balance
        WHERE id = @AccountId AND currency = @Currency AND balance BETWEEN @Floor AND @Ceiling
            AND (min_balance IS NULL OR balance + @Amount >= min_balance)
        """;

    private const string ApplySqlite = """
        UPDATE settlement.accounts SET balance = balance + @Amount, version = version + 1
        WHERE id = @AccountId AND currency = @Currency AND balance BETWEEN @Floor AND @Ceiling
            AND (min_balance IS NULL OR balance + @Amount >= min_balance)
        RETURNING balance
        """;

    private const string AccountSql = """
        SELECT kind, currency, balance, min_balance FROM settlement.accounts WHERE id = @AccountId
        """;

    private const string InsertEntrySql = """
        INSERT INTO settlement.entries (id, kind, description, content_hash, reverses_entry_id, created_by, created_at)
        VALUES (@Id, @Kind, @Description, @ContentHash, @Reverses, @Actor, @CreatedAt)
        """;

    private const string InsertPostingSql = """
        INSERT INTO settlement.postings (entry_id, account_id, currency, amount, balance_after, created_at)
        VALUES (@EntryId, @AccountId, @Currency, @Amount, @BalanceAfter, @CreatedAt)
        """;

    private const string ReversedBySql = """
        SELECT id FROM settlement.entries WHERE reverses_entry_id = @Id
        """;

    private readonly string apply = db.Sql(ApplySqlServer, ApplySqlite);

    public async Task<PostedEntry> PostAsync(UnitOfWork uow, EntryRequest request, DateTimeOffset now)
    {
        CheckBalanced(request);
        var hash = request.ContentHash();
        var existing = await uow.QuerySingleOrDefaultAsync<StoredEntry>(FindEntrySql, new { request.Id });
        if (existing is not null)
        {
            if (existing.ContentHash != hash)
            {
                throw new LedgerException(LedgerRefusal.IdConflict, $"Entry {request.Id} was posted before with other content.");
            }

            var legs = await uow.QueryAsync<PostedLeg>(EntryLegsSql, new { request.Id });
            return new PostedEntry(existing.Id, existing.Kind, [.. legs], existing.CreatedAt, Replayed: true);
        }

        var posted = new List<PostedLeg>(request.Legs.Count);
        foreach (var leg in request.Legs.OrderBy(l => l.AccountId))
        {
            var balance = await uow.QuerySingleOrDefaultAsync<long?>(apply, new
            {
                leg.AccountId,
                leg.Currency,
                leg.Amount,
                // The balances this leg may start from without leaving ±MaxBalance; neither bound overflows.
                Floor = leg.Amount < 0 ? -MaxBalance - leg.Amount : -MaxBalance,
                Ceiling = leg.Amount > 0 ? MaxBalance - leg.Amount : MaxBalance,
            });
            if (balance is null)
            {
                throw await RefusalFor(uow, leg);
            }

            posted.Add(new PostedLeg { AccountId = leg.AccountId, Currency = leg.Currency, Amount = leg.Amount, BalanceAfter = balance.Value });
        }

        try
        {
            await uow.ExecuteAsync(InsertEntrySql, new
            {
                request.Id,
                request.Kind,
                request.Description,
                ContentHash = hash,
                request.Reverses,
                request.Actor,
                CreatedAt = now,
            });
        }
        catch (Exception ex) when (DbErrors.IsUniqueViolation(ex))
        {
            throw new LedgerException(
                request.Reverses is null ? LedgerRefusal.IdConflict : LedgerRefusal.NotReversible,
                request.Reverses is null
                    ? $"Entry {request.Id} is being posted by a concurrent request; retry to read its result."
                    : $"Entry {request.Reverses} was reversed already.");
        }

        foreach (var leg in posted)
        {
            await uow.ExecuteAsync(InsertPostingSql, new
            {
                EntryId = request.Id,
                leg.AccountId,
                leg.Currency,
                leg.Amount,
                leg.BalanceAfter,
                CreatedAt = now,
            });
        }

        return new PostedEntry(request.Id, request.Kind, posted, now, Replayed: false);
    }

    /// <summary>Corrects an entry by posting its exact opposite; an entry is reversed at most once.</summary>
    public async Task<PostedEntry> ReverseAsync(
        UnitOfWork uow, Guid entryId, Guid reversalId, Guid actor, string? description, DateTimeOffset now)
    {
        var legs = (await uow.QueryAsync<PostedLeg>(EntryLegsSql, new { Id = entryId })).ToList();
        if (legs.Count == 0)
        {
            throw new LedgerException(LedgerRefusal.NotReversible, $"Entry {entryId} does not exist.");
        }

        var reversedBy = await uow.QuerySingleOrDefaultAsync<Guid?>(ReversedBySql, new { Id = entryId });
        if (reversedBy is { } other && other != reversalId)
        {
            throw new LedgerException(LedgerRefusal.NotReversible, $"Entry {entryId} was reversed already by {other}.");
        }

        return await PostAsync(
            uow,
            new EntryRequest(
                reversalId,
                "reversal",
                description,
                [.. legs.Select(l => new Leg(l.AccountId, l.Currency, -l.Amount))],
                actor,
                entryId),
            now);
    }

    private static void CheckBalanced(EntryRequest request)
    {
        if (request.Legs.Count < 2)
        {
            throw new LedgerException(LedgerRefusal.Unbalanced, "An entry needs at least two legs.");
        }

        if (request.Legs.Any(l => l.Amount == 0))
        {
            throw new LedgerException(LedgerRefusal.Unbalanced, "A leg must move a non-zero amount.");
        }

        if (request.Legs.Any(l => l.Amount == long.MinValue))
        {
            throw new LedgerException(LedgerRefusal.OutOfRange, $"A leg moves at most {MaxBalance} minor units.");
        }

        if (request.Legs.Select(l => l.AccountId).Distinct().Count() != request.Legs.Count)
        {
            throw new LedgerException(LedgerRefusal.Unbalanced, "An account appears in more than one leg.");
        }

        foreach (var currency in request.Legs.GroupBy(l => l.Currency))
        {
            // Summed in 128 bits: the debits and the credits each stay within MaxBalance, so no partial sum of an
            // entry's postings — which reconciliation adds up in the database — leaves 64 bits.
            Int128 credits = 0, debits = 0;
            foreach (var leg in currency)
            {
                (credits, debits) = leg.Amount > 0 ? (credits + leg.Amount, debits) : (credits, debits - leg.Amount);
            }

            if (credits > MaxBalance || debits > MaxBalance)
            {
                throw new LedgerException(LedgerRefusal.OutOfRange, $"An entry moves at most {MaxBalance} {currency.Key} minor units.");
            }

            if (credits != debits)
            {
                throw new LedgerException(LedgerRefusal.Unbalanced, $"The {currency.Key} legs sum to {credits - debits}, not zero.");
            }
        }
    }

    private static async Task<LedgerException> RefusalFor(UnitOfWork uow, Leg leg)
    {
        var account = await uow.QuerySingleOrDefaultAsync<AccountState>(AccountSql, new { leg.AccountId });
        if (account is null || account.Currency != leg.Currency)
        {
            return new LedgerException(LedgerRefusal.UnknownAccount, $"There is no {leg.Currency} account {leg.AccountId}.");
        }

        if (leg.Amount > 0 ? account.Balance > MaxBalance - leg.Amount : account.Balance < -MaxBalance - leg.Amount)
        {
            return new LedgerException(
                LedgerRefusal.OutOfRange,
                $"The {account.Kind} account has {account.Balance} {account.Currency} (minor units); {leg.Amount} more would take it beyond ±{MaxBalance}, the most a balance can hold.");
        }

        return new LedgerException(
            LedgerRefusal.InsufficientFunds,
            $"The {account.Kind} account has {account.Balance} {account.Currency} (minor units); {-leg.Amount} would take it below its limit of {account.MinBalance}.");
    }

    private sealed record StoredEntry
    {
        public Guid Id { get; init; }

        public string Kind { get; init; } = "";

        public string ContentHash { get; init; } = "";

        public DateTimeOffset CreatedAt { get; init; }
    }

    private sealed record AccountState
    {
        public string Kind { get; init; } = "";

        public string Currency { get; init; } = "";

        public long Balance { get; init; }

        public long? MinBalance { get; init; }
    }
}
