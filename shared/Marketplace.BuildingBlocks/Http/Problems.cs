using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.BuildingBlocks.Http;

/// <summary>The few ProblemDetails answers handlers give besides validation errors.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem($"{what} was not found.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>409 for a transition the current state does not allow; names the state.</summary>
    public static ProblemHttpResult IllegalTransition(string action, string currentState) =>
        TypedResults.Problem(
            $"Cannot {action}: the current state is {currentState}.",
            statusCode: StatusCodes.Status409Conflict,
            title: "Illegal state transition",
            extensions: new Dictionary<string, object?> { ["currentState"] = currentState });

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    /// <summary>412 when <c>If-Match</c> names a version other than the current one.</summary>
    public static ProblemHttpResult VersionMismatch(int currentVersion) =>
        TypedResults.Problem(
            "The resource changed since you read it; read it again and retry.",
            statusCode: StatusCodes.Status412PreconditionFailed,
            title: "Precondition failed",
            extensions: new Dictionary<string, object?> { ["currentVersion"] = currentVersion });
}
