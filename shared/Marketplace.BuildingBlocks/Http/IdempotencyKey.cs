using System.Text.RegularExpressions;
using Marketplace.BuildingBlocks.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.BuildingBlocks.Http;

/// <summary>
/// The <c>Idempotency-Key</c> header of a creating request becomes the new resource's id (derived from the key, the
/// caller and the kind of resource), so a retry finds the resource it created instead of creating another; the
/// handler compares the content and refuses a reused key with a different body. Without the header the resource
/// gets a fresh id.
/// </summary>
public static partial class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    /// <summary>The id for the resource, or a 400 problem when the header is malformed.</summary>
    public static (Guid Id, ProblemHttpResult? Problem) ResourceId(HttpRequest request, string resource, Guid caller, TimeProvider time)
    {
        var key = request.Headers[Header].ToString();
        if (key.Length == 0)
        {
            return (Guid.CreateVersion7(time.GetUtcNow()), null);
        }

        if (!Shape().IsMatch(key))
        {
            return (Guid.Empty, TypedResults.Problem(
                "Idempotency-Key must be 1 to 100 printable ASCII characters.",
                statusCode: StatusCodes.Status400BadRequest,
                title: "Bad Idempotency-Key"));
        }

        return (DeterministicId.From(resource, caller.ToString("D"), key), null);
    }

    /// <summary>422 for a key that was used before with another body.</summary>
    public static ProblemHttpResult Reused() => TypedResults.Problem(
        "This Idempotency-Key was used before with a different request.",
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "Idempotency key reused");

    [GeneratedRegex("^[\\x21-\\x7E]{1,100}$")]
    private static partial Regex Shape();
}
