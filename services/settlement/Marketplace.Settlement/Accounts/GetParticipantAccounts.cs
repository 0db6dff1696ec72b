using System.Security.Claims;
using Dapper;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Settlement.Accounts;

/// <summary>
/// <c>GET /settlement/participants/{id}/accounts</c>: a participant's ledger accounts and balances (minor units).
/// The participant reads its own, operators any. 404 until the accounts are opened (shortly after admission).
/// </summary>
internal static class GetParticipantAccounts
{
    private const string AccountsSql = """
        SELECT id, kind, currency, balance, version, opened_at
        FROM settlement.accounts WHERE owner_id = @OwnerId ORDER BY currency, kind
        """;

    public static async Task<Results<Ok<IReadOnlyList<AccountResponse>>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal user, SettlementDb db, CancellationToken ct)
    {
        if (!user.MaySee(id))
        {
            return Problems.NotFound("The participant's accounts");
        }

        await using var connection = await db.OpenAsync(ct);
        var accounts = (await connection.QueryAsync<AccountResponse>(AccountsSql, new { OwnerId = id })).AsList();
        return accounts.Count == 0
            ? Problems.NotFound("The participant's accounts")
            : TypedResults.Ok<IReadOnlyList<AccountResponse>>(accounts);
    }
}

public sealed record AccountResponse
{
    public Guid Id { get; init; }

    public AccountKind Kind { get; init; }

    public string Currency { get; init; } = "";

    /// <summary>Posted balance in minor units (fen for CNY).</summary>
    public long Balance { get; init; }

    public int Version { get; init; }

    public DateTimeOffset OpenedAt { get; init; }
}
