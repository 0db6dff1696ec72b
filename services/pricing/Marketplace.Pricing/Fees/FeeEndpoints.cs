using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Pricing.Fees;

/// <summary>
/// <c>GET /pricing/fees</c> (anyone admitted: what the exchange charges is public to its members),
/// <c>PUT /pricing/fees</c> (operator; <c>If-Match</c> with the version read is required: 428 without it, 412 when
/// stale), and <c>GET /pricing/fees/history</c> (operator: every version, newest first, down to the built-in default 0
/// that early quotes point at). A new schedule applies to quotes issued after it; issued quotes keep theirs.
/// </summary>
internal static class FeeEndpoints
{
    public static void MapFees(this RouteGroupBuilder api)
    {
        var fees = api.MapGroup("/fees");
        fees.MapGet("/", Get).RequireAuthorization(Roles.AnyParticipant).WithName("GetFeeSchedule");
        fees.MapPut("/", Set).RequireAuthorization(Roles.Operator).WithName("SetFeeSchedule")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        fees.MapGet("/history", History).RequireAuthorization(Roles.Operator).WithName("GetFeeScheduleHistory");
    }

    private static async Task<Ok<FeeScheduleVersion>> Get(HttpContext http, PricingDb db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var current = await FeeStore.CurrentAsync(connection);
        ETags.Set(http, current.Version);
        return TypedResults.Ok(current);
    }

    private static async Task<Results<Ok<FeeScheduleVersion>, ProblemHttpResult>> Set(
        FeeSchedule schedule, HttpContext http, ClaimsPrincipal user, GroupCommitter<PricingDb> committer, TimeProvider time, CancellationToken ct)
    {
        // The exchange's most consequential setting: a change must name the version it was made from, never overwrite blindly.
        if (ETags.IfMatch(http.Request) is not { } expected)
        {
            return TypedResults.Problem("Send If-Match with the version you read: GET /pricing/fees answers it as its ETag.",
                statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match required");
        }

        return await committer.RunAsync<Results<Ok<FeeScheduleVersion>, ProblemHttpResult>>(
            async uow =>
            {
                var current = await FeeStore.CurrentAsync(uow);
                if (expected != current.Version)
                {
                    return Problems.VersionMismatch(current.Version);
                }

                var next = new FeeScheduleVersion(current.Version + 1, schedule with { Rules = schedule.Rules ?? [] }, user.ParticipantId(), time.GetUtcNow());
                try
                {
                    await FeeStore.InsertAsync(uow, next);
                }
                catch (Exception ex) when (DbErrors.IsUniqueViolation(ex))
                {
                    return uow.RollBack(Problems.VersionMismatch(current.Version + 1));
                }

                ETags.Set(http, next.Version);
                return TypedResults.Ok(next);
            },
            ct);
    }

    private static async Task<Ok<IReadOnlyList<FeeScheduleVersion>>> History(PricingDb db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Ok(await FeeStore.HistoryAsync(connection));
    }
}
