using Dapper;
using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Settlement.Withdrawals;

public enum WithdrawalStatus
{
    /// <summary>Requested: the amount is held from the participant's available balance.</summary>
    Pending,

    /// <summary>An operator approved it: the hold was posted to bank clearing (the money left the exchange).</summary>
    Approved,

    /// <summary>An operator refused it: the hold was voided, the amount is available again.</summary>
    Refused,
}

public sealed record WithdrawalResponse
{
    [System.Text.Json.Serialization.JsonIgnore]
    public long Seq { get; init; }

    public Guid Id { get; init; }

    public Guid ParticipantId { get; init; }

    public string Currency { get; init; } = "";

    public long Amount { get; init; }

    public string BankAccount { get; init; } = "";

    public WithdrawalStatus Status { get; init; }

    public string? Reason { get; init; }

    public int Version { get; init; }

    public Guid HoldId { get; init; }

    public DateTimeOffset RequestedAt { get; init; }

    public Guid? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }
}

/// <summary>The withdrawal statements the endpoints share.</summary>
internal static class WithdrawalStore
{
    public const string Columns = """
        seq, id, participant_id, hold_id, currency, amount, bank_account, status, reason, version, requested_at,
        decided_by, decided_at
        """;

    private const string FindSql = $"""
        SELECT {Columns} FROM settlement.withdrawals WHERE id = @Id
        """;

    private const string InsertSql = """
        INSERT INTO settlement.withdrawals
            (id, participant_id, hold_id, currency, amount, bank_account, status, version, requested_at)
        VALUES (@Id, @ParticipantId, @HoldId, @Currency, @Amount, @BankAccount, 'Pending', 1, @RequestedAt)
        """;

    private const string DecideSql = """
        UPDATE settlement.withdrawals
        SET status = @Status, reason = @Reason, decided_by = @DecidedBy, decided_at = @DecidedAt, version = version + 1
        WHERE id = @Id AND status = 'Pending'
        """;

    public static Task<WithdrawalResponse?> FindAsync(UnitOfWork uow, Guid id) =>
        uow.QuerySingleOrDefaultAsync<WithdrawalResponse>(FindSql, new { Id = id });

    public static async Task<WithdrawalResponse?> FindAsync(SettlementDb db, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<WithdrawalResponse>(FindSql, new { Id = id });
    }

    public static Task InsertAsync(UnitOfWork uow, WithdrawalResponse w) => uow.ExecuteAsync(InsertSql, w);

    public static Task<int> DecideAsync(UnitOfWork uow, Guid id, WithdrawalStatus status, string? reason, Guid decidedBy, DateTimeOffset at) =>
        uow.ExecuteAsync(DecideSql, new { Id = id, Status = status.ToString(), Reason = reason, DecidedBy = decidedBy, DecidedAt = at });
}
