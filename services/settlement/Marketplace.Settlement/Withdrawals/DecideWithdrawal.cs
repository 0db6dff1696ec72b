using System.Security.Claims;
using FluentValidation;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Settlement.Accounts;
using Marketplace.Settlement.Ledger;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Settlement.Withdrawals;

/// <summary>
/// <c>POST /settlement/withdrawals/{id}/approve</c> and <c>/refuse</c> (operator): approving posts the hold to bank
/// clearing (the payout leaves the exchange), refusing voids it (the amount is available again). Either happens
/// once; deciding a decided withdrawal is a 409 naming its state.
/// </summary>
internal static class DecideWithdrawal
{
    public static Task<Results<Ok<WithdrawalResponse>, ProblemHttpResult>> Approve(
        Guid id, ClaimsPrincipal user, GroupCommitter<SettlementDb> committer, Holds holds, TimeProvider time, CancellationToken ct) =>
        DecideAsync(id, WithdrawalStatus.Approved, null, user, committer, time, ct, async (uow, w, now) =>
        {
            var bank = await AccountDirectory.ExchangeAsync(uow, AccountKind.BankClearing, w.Currency)
                ?? throw new LedgerException(LedgerRefusal.UnknownAccount, $"The exchange does not clear {w.Currency}.");
            await holds.PostAsync(uow, w.HoldId, [(bank, w.Amount)], "withdrawal", user.ParticipantId()!.Value, now);
        });

    public static Task<Results<Ok<WithdrawalResponse>, ProblemHttpResult>> Refuse(
        Guid id, RefuseWithdrawalRequest request, ClaimsPrincipal user, GroupCommitter<SettlementDb> committer, Holds holds,
        TimeProvider time, CancellationToken ct) =>
        DecideAsync(id, WithdrawalStatus.Refused, request.Reason!.Trim(), user, committer, time, ct, (uow, w, now) =>
            holds.VoidAsync(uow, w.HoldId, user.ParticipantId()!.Value, now));

    private static async Task<Results<Ok<WithdrawalResponse>, ProblemHttpResult>> DecideAsync(
        Guid id, WithdrawalStatus decision, string? reason, ClaimsPrincipal user, GroupCommitter<SettlementDb> committer,
        TimeProvider time, CancellationToken ct, Func<UnitOfWork, WithdrawalResponse, DateTimeOffset, Task> move)
    {
        var action = decision == WithdrawalStatus.Approved ? "approve" : "refuse";
        try
        {
            return await committer.RunAsync(uow => DecideInAsync(uow, id, decision, reason, action, user, time, move), ct);
        }
        catch (LedgerException e)
        {
            return e.ToProblem();
        }
    }


    private static async Task<Results<Ok<WithdrawalResponse>, ProblemHttpResult>> DecideInAsync(
        UnitOfWork uow, Guid id, WithdrawalStatus decision, string? reason, string action, ClaimsPrincipal user,
        TimeProvider time, Func<UnitOfWork, WithdrawalResponse, DateTimeOffset, Task> move)
    {
        var withdrawal = await WithdrawalStore.FindAsync(uow, id);
        if (withdrawal is null)
        {
            return Problems.NotFound("The withdrawal");
        }

        if (withdrawal.Status != WithdrawalStatus.Pending)
        {
            return Problems.IllegalTransition($"{action} the withdrawal", withdrawal.Status.ToString());
        }

        var now = time.GetUtcNow();
        if (await WithdrawalStore.DecideAsync(uow, id, decision, reason, user.ParticipantId()!.Value, now) == 0)
        {
            return Problems.IllegalTransition($"{action} the withdrawal", "decided by a concurrent request");
        }

        await move(uow, withdrawal, now);
        return TypedResults.Ok((await WithdrawalStore.FindAsync(uow, id))!);
    }
}

public sealed record RefuseWithdrawalRequest(string? Reason);

internal sealed class RefuseWithdrawalRequestValidator : AbstractValidator<RefuseWithdrawalRequest>
{
    public RefuseWithdrawalRequestValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
}
