using Microsoft.AspNetCore.Http;

namespace Marketplace.BuildingBlocks.Http;

/// <summary>
/// Keeps a validation problem's body bounded whatever the request: at most <c>Http:MaxValidationErrors</c> messages are
/// listed, in the order the validators gave them (whole fields first, a field cut short last), and
/// <c>moreErrors</c> says how many were left out. Applied to every problem as it is written, so no endpoint can forget it.
/// </summary>
public static class ValidationErrors
{
    public static void Bound(HttpValidationProblemDetails problem, int max)
    {
        var total = problem.Errors.Sum(e => e.Value.Length);
        if (total <= max)
        {
            return;
        }

        var kept = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var room = max;
        foreach (var (field, messages) in problem.Errors)
        {
            if (room == 0)
            {
                break;
            }

            kept[field] = messages.Length <= room ? messages : messages[..room];
            room -= kept[field].Length;
        }

        problem.Errors = kept;
        problem.Extensions["moreErrors"] = total - max;
        problem.Detail ??= $"{total} errors; the first {max} are listed.";
    }
}
