using Marketplace.BuildingBlocks.Data;
using Marketplace.Settlement.Accounts;
using Marketplace.Settlement.Ledger;

namespace Marketplace.Settlement.Deposits;

/// <summary>Where a deposit came from.</summary>
public enum DepositSource
{
    /// <summary>An operator recorded an incoming bank transfer.</summary>
    BankTransfer,

    /// <summary>A payment provider reported it through the signed webhook.</summary>
    Webhook,
}

public sealed record DepositResponse
{
    public Guid Id { get; init; }

    public Guid ParticipantId { get; init; }

    public string Currency { get; init; } = "";

    public long Amount { get; init; }

    public DepositSource Source { get; init; }

    public string Reference { get; init; } = "";

    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>
/// Credits a participant's available balance from the bank: one entry (bank clearing → available) whose id is the
/// deposit's, and a deposit row whose (source, reference) is unique, so one bank transfer is never credited twice.
/// </summary>
public static class Deposits
{
    private const string FindSql = """
        SELECT id, participant_id, currency, amount, source, reference, recorded_at FROM settlement.deposits WHERE id = @Id
        """;

    private const string ByReferenceSql = """
        SELECT id FROM settlement.deposits WHERE source = @Source AND reference = @Reference
        """;

    private const string InsertSql = """
        INSERT INTO settlement.deposits (id, participant_id, currency, amount, source, reference, recorded_by, recorded_at)
        VALUES (@Id, @ParticipantId, @Currency, @Amount, @Source, @Reference, @RecordedBy, @RecordedAt)
        """;

    public static Task<DepositResponse?> FindAsync(UnitOfWork uow, Guid id) =>
        uow.QuerySingleOrDefaultAsync<DepositResponse>(FindSql, new { Id = id });

    /// <summary>Records the deposit, or returns it when this very deposit (same id, same content) was recorded before.</summary>
    public static async Task<DepositResponse> RecordAsync(
        UnitOfWork uow, Ledger.LedgerPoster ledger, DepositResponse deposit, Guid? recordedBy)
    {
        if (await FindAsync(uow, deposit.Id) is { } existing)
        {
            return existing with { RecordedAt = deposit.RecordedAt } == deposit
                ? existing
                : throw new LedgerException(LedgerRefusal.IdConflict, "This deposit id was used before with other content.");
        }

        if (await uow.QuerySingleOrDefaultAsync<Guid?>(ByReferenceSql, new { Source = deposit.Source.ToString(), deposit.Reference }) is { } other)
        {
            throw new DuplicateDepositException(other);
        }

        var available = await AccountDirectory.ParticipantAsync(uow, deposit.ParticipantId, AccountKind.Available, deposit.Currency)
            ?? throw new LedgerException(LedgerRefusal.UnknownAccount, $"Participant {deposit.ParticipantId} has no {deposit.Currency} account.");
        var bank = await AccountDirectory.ExchangeAsync(uow, AccountKind.BankClearing, deposit.Currency)
            ?? throw new LedgerException(LedgerRefusal.UnknownAccount, $"The exchange does not clear {deposit.Currency}.");

        await ledger.PostAsync(uow, new EntryRequest(
            deposit.Id,
            "deposit",
            $"{deposit.Source} {deposit.Reference}",
            [new Leg(bank, deposit.Currency, -deposit.Amount), new Leg(available, deposit.Currency, deposit.Amount)],
            recordedBy ?? Guid.Empty), deposit.RecordedAt);
        try
        {
            await uow.ExecuteAsync(InsertSql, new
            {
                deposit.Id,
                deposit.ParticipantId,
                deposit.Currency,
                deposit.Amount,
                Source = deposit.Source.ToString(),
                deposit.Reference,
                RecordedBy = recordedBy,
                deposit.RecordedAt,
            });
        }
        catch (Exception ex) when (DbErrors.IsUniqueViolation(ex))
        {
            throw new DuplicateDepositException(null);
        }

        return deposit;
    }
}

/// <summary>The bank transfer (source and reference) was credited already.</summary>
public sealed class DuplicateDepositException(Guid? existing)
    : Exception("This bank transfer was recorded already.")
{
    public Guid? Existing { get; } = existing;
}
