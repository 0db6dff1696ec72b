using System.Net;
using System.Net.Http.Json;
using Dapper;
using Marketplace.Settlement;

namespace Marketplace.Tests.Support;

/// <summary>Ledger helpers for tests: participants with open accounts, deposits through the API, balances.</summary>
public static class MoneyHelpers
{
    /// <summary>Admits a participant and waits until settlement has opened its accounts.</summary>
    public static async Task<Guid> FundedParticipantAsync(this EmbeddedMarketplace m, long deposit = 0)
    {
        var p = await m.AdmitAsync();
        await Eventually.True(
            async () => await m.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.accounts WHERE owner_id = @Id", new { p.Id }) == 3,
            what: "the participant's accounts");
        if (deposit > 0)
        {
            await m.DepositAsync(p.Id, deposit);
        }

        return p.Id;
    }

    public static async Task DepositAsync(this EmbeddedMarketplace m, Guid participant, long amount)
    {
        var response = await m.Operator().PostAsJsonAsync("/settlement/deposits", new
        {
            participantId = participant,
            amount,
            currency = "CNY",
            bankReference = "BANK-" + Guid.NewGuid().ToString("N"),
        });
        await Expect.Status(response, HttpStatusCode.Created);
    }

    public static async Task<long> BalanceAsync(this EmbeddedMarketplace m, Guid? owner, string kind)
    {
        await using var connection = await m.Get<SettlementDb>().OpenAsync();
        return owner is null
            ? await connection.ExecuteScalarAsync<long>("SELECT balance FROM settlement.accounts WHERE owner_id IS NULL AND kind = @kind", new { kind })
            : await connection.ExecuteScalarAsync<long>("SELECT balance FROM settlement.accounts WHERE owner_id = @owner AND kind = @kind", new { owner, kind });
    }

    public static async Task<Guid> AccountAsync(this EmbeddedMarketplace m, Guid? owner, string kind)
    {
        await using var connection = await m.Get<SettlementDb>().OpenAsync();
        return owner is null
            ? await connection.ExecuteScalarAsync<Guid>("SELECT id FROM settlement.accounts WHERE owner_id IS NULL AND kind = @kind", new { kind })
            : await connection.ExecuteScalarAsync<Guid>("SELECT id FROM settlement.accounts WHERE owner_id = @owner AND kind = @kind", new { owner, kind });
    }
}
