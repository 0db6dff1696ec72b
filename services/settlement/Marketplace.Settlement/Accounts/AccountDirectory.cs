using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Settlement.Accounts;

/// <summary>Finds ledger accounts by owner (a participant, or the exchange itself), kind and currency.</summary>
public static class AccountDirectory
{
    private const string ParticipantAccountSql = """
        SELECT id FROM settlement.accounts WHERE owner_id = @OwnerId AND kind = @Kind AND currency = @Currency
        """;

    private const string ExchangeAccountSql = """
        SELECT id FROM settlement.accounts WHERE owner_id IS NULL AND kind = @Kind AND currency = @Currency
        """;

    public static Task<Guid?> ParticipantAsync(UnitOfWork uow, Guid ownerId, AccountKind kind, string currency) =>
        uow.QuerySingleOrDefaultAsync<Guid?>(ParticipantAccountSql, new { OwnerId = ownerId, Kind = kind.ToString(), Currency = currency });

    public static Task<Guid?> ExchangeAsync(UnitOfWork uow, AccountKind kind, string currency) =>
        uow.QuerySingleOrDefaultAsync<Guid?>(ExchangeAccountSql, new { Kind = kind.ToString(), Currency = currency });
}
