using System.Security.Claims;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Settlement.Withdrawals;

/// <summary><c>GET /settlement/withdrawals/{id}</c>: the participant's own, or any for operators.</summary>
internal static class GetWithdrawal
{
    public static async Task<Results<Ok<WithdrawalResponse>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal user, SettlementDb db, CancellationToken ct)
    {
        var withdrawal = await WithdrawalStore.FindAsync(db, id, ct);
        return withdrawal is not null && user.MaySee(withdrawal.ParticipantId)
            ? TypedResults.Ok(withdrawal)
            : Problems.NotFound("The withdrawal");
    }
}
