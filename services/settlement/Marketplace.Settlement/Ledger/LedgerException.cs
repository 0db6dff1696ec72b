using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Settlement.Ledger;

/// <summary>Why the ledger refused a posting.</summary>
public enum LedgerRefusal
{
    /// <summary>The legs do not sum to zero per currency, or an entry has fewer than two legs.</summary>
    Unbalanced,

    /// <summary>A leg names an account that does not exist, or in another currency.</summary>
    UnknownAccount,

    /// <summary>The posting would take an account below its limit (e.g. available below zero).</summary>
    InsufficientFunds,

    /// <summary>The client-supplied id was used before for different content.</summary>
    IdConflict,

    /// <summary>The hold is not pending (already posted or voided) or does not exist.</summary>
    HoldNotPending,

    /// <summary>The entry to reverse does not exist or was reversed already.</summary>
    NotReversible,

    /// <summary>A balance, a leg or an entry would leave the range a 64-bit amount holds (±(2⁶³ − 1) minor units).</summary>
    OutOfRange,
}

/// <summary>
/// A refused posting. Thrown rather than returned so that the caller's unit of work can only roll back: the
/// ledger may already have touched some balances of the entry when a later leg breaks a limit.
/// </summary>
public sealed class LedgerException(LedgerRefusal refusal, string detail) : Exception(detail)
{
    public LedgerRefusal Refusal { get; } = refusal;

    /// <summary>The refusal as the caller's answer; <paramref name="field"/> names the request field an out-of-range amount came from.</summary>
    public ProblemHttpResult ToProblem(string? field = null) => Refusal switch
    {
        LedgerRefusal.UnknownAccount => TypedResults.Problem(Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unknown account"),
        LedgerRefusal.Unbalanced => TypedResults.Problem(Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unbalanced entry"),
        LedgerRefusal.InsufficientFunds => TypedResults.Problem(Message, statusCode: StatusCodes.Status409Conflict, title: "Insufficient funds"),
        LedgerRefusal.OutOfRange => OutOfRange(field),
        LedgerRefusal.IdConflict => TypedResults.Problem(Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency key reused"),
        LedgerRefusal.HoldNotPending => Problems.Conflict(Message),
        _ => Problems.Conflict(Message),
    };

    private ProblemHttpResult OutOfRange(string? field)
    {
        var extensions = new Dictionary<string, object?> { ["reason"] = "balance-out-of-range" };
        if (field is not null)
        {
            extensions["errors"] = new Dictionary<string, string[]> { [field] = [Message] };
        }

        return TypedResults.Problem(Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Amount out of range", extensions: extensions);
    }
}
