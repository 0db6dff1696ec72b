using System.Security.Claims;
using FluentValidation;
using Marketplace.BuildingBlocks;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Settlement.Ledger;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Settlement.Deposits;

/// <summary>
/// <c>POST /settlement/deposits</c> (operator): records an incoming bank transfer for a participant. Accepts
/// <c>Idempotency-Key</c>; the bank reference is unique, so the same transfer is never credited twice.
/// </summary>
internal static class RecordDeposit
{
    public static async Task<Results<Created<DepositResponse>, ProblemHttpResult>> Handle(
        RecordDepositRequest request, HttpRequest http, ClaimsPrincipal user, GroupCommitter<SettlementDb> committer, Ledger.LedgerPoster ledger,
        TimeProvider time, CancellationToken ct)
    {
        var caller = user.ParticipantId()!.Value;
        var (id, badKey) = IdempotencyKey.ResourceId(http, "deposit", caller, time);
        if (badKey is not null)
        {
            return badKey;
        }

        var deposit = new DepositResponse
        {
            Id = id,
            ParticipantId = request.ParticipantId!.Value,
            Currency = request.Currency!,
            Amount = request.Amount!.Value,
            Source = DepositSource.BankTransfer,
            Reference = request.BankReference!.Trim(),
            RecordedAt = time.GetUtcNow(),
        };
        try
        {
            var recorded = await committer.RunAsync(uow => Deposits.RecordAsync(uow, ledger, deposit, caller), ct);
            return TypedResults.Created($"/settlement/deposits/{recorded.Id}", recorded);
        }
        catch (LedgerException e) when (e.Refusal == LedgerRefusal.IdConflict)
        {
            return IdempotencyKey.Reused();
        }
        catch (LedgerException e)
        {
            return e.ToProblem("amount");
        }
        catch (DuplicateDepositException e)
        {
            return TypedResults.Problem(
                e.Message,
                statusCode: StatusCodes.Status409Conflict,
                title: "Duplicate deposit",
                extensions: new Dictionary<string, object?> { ["depositId"] = e.Existing });
        }
    }
}

public sealed record RecordDepositRequest(Guid? ParticipantId, long? Amount, string? Currency, string? BankReference);

internal sealed class RecordDepositRequestValidator : AbstractValidator<RecordDepositRequest>
{
    public RecordDepositRequestValidator()
    {
        RuleFor(r => r.ParticipantId).NotNull().NotEqual(Guid.Empty);
        RuleFor(r => r.Amount).ValidAmount();
        RuleFor(r => r.Currency).ValidCurrency();
        RuleFor(r => r.BankReference).NotEmpty().MaximumLength(100);
    }
}
