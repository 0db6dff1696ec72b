using System.Security.Claims;
using FluentValidation;
using Marketplace.BuildingBlocks;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Settlement.Ledger;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Settlement.Withdrawals;

/// <summary>
/// <c>POST /settlement/withdrawals</c> (the participant itself): asks to pay out part of its available balance to its
/// bank account. The amount is held at once (so it cannot be spent twice) until an operator approves or refuses.
/// Accepts <c>Idempotency-Key</c>.
/// </summary>
internal static class RequestWithdrawal
{
    public static async Task<Results<Created<WithdrawalResponse>, ProblemHttpResult>> Handle(
        RequestWithdrawalRequest request, HttpRequest http, ClaimsPrincipal user, GroupCommitter<SettlementDb> committer, Holds holds,
        TimeProvider time, CancellationToken ct)
    {
        var participant = user.ParticipantId()!.Value;
        var (id, badKey) = IdempotencyKey.ResourceId(http, "withdrawal", participant, time);
        if (badKey is not null)
        {
            return badKey;
        }

        var now = time.GetUtcNow();
        var withdrawal = new WithdrawalResponse
        {
            Id = id,
            ParticipantId = participant,
            HoldId = DeterministicId.From(id, "hold"),
            Currency = request.Currency!,
            Amount = request.Amount!.Value,
            BankAccount = request.BankAccount!.Trim(),
            Status = WithdrawalStatus.Pending,
            Version = 1,
            RequestedAt = now,
        };
        try
        {
            var created = await committer.RunAsync(
                async uow =>
                {
                    if (await WithdrawalStore.FindAsync(uow, id) is { } existing)
                    {
                        return existing.Amount == withdrawal.Amount && existing.Currency == withdrawal.Currency && existing.BankAccount == withdrawal.BankAccount
                            ? existing
                            : throw new LedgerException(LedgerRefusal.IdConflict, "The Idempotency-Key was used for another withdrawal.");
                    }

                    await holds.PlaceAsync(uow, withdrawal.HoldId, participant, withdrawal.Currency, withdrawal.Amount, "withdrawal", participant, now);
                    await WithdrawalStore.InsertAsync(uow, withdrawal);
                    return (await WithdrawalStore.FindAsync(uow, id))!;
                },
                ct);
            return TypedResults.Created($"/settlement/withdrawals/{id}", created);
        }
        catch (LedgerException e) when (e.Refusal == LedgerRefusal.IdConflict)
        {
            return IdempotencyKey.Reused();
        }
        catch (LedgerException e)
        {
            return e.ToProblem("amount");
        }
    }
}

public sealed record RequestWithdrawalRequest(long? Amount, string? Currency, string? BankAccount);

internal sealed class RequestWithdrawalRequestValidator : AbstractValidator<RequestWithdrawalRequest>
{
    public RequestWithdrawalRequestValidator()
    {
        RuleFor(r => r.Amount).ValidAmount();
        RuleFor(r => r.Currency).ValidCurrency();
        RuleFor(r => r.BankAccount).NotEmpty().MaximumLength(100);
    }
}
