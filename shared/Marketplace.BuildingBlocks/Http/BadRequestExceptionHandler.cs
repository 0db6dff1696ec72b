using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.BuildingBlocks.Http;

/// <summary>
/// Malformed input that fails before a handler runs (unreadable JSON, a value of the wrong type, an unbindable
/// query parameter, a body over the size limit) surfaces as <see cref="BadHttpRequestException"/>; it becomes a
/// 4xx ProblemDetails, never a 500. A JSON value that cannot be read is reported against its field.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        ProblemDetails problem = bad.InnerException is JsonException { Path: { Length: > 2 } path }
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path] = ["The value is not valid for this field."],
            })
            {
                Title = "One or more validation errors occurred.",
            }
            : new ProblemDetails
            {
                Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request",
                Detail = bad.InnerException is JsonException ? "The body is not valid JSON." : bad.Message,
            };
        problem.Status = bad.StatusCode;
        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = problem,
        });
    }
}
