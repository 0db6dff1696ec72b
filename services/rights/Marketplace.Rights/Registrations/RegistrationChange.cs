using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Rights.Registrations;

/// <summary>
/// The one path every change to a registration takes: load; only its applicant (for the applicant's actions) may
/// touch it — anyone else gets the 404 a missing one gets; check <c>If-Match</c>; decide; write with optimistic
/// concurrency, append the history line and run the decision's other writes, in one transaction.
/// </summary>
internal static class RegistrationChange
{
    public sealed record Outcome(
        Registration? Changed, string Action, string? Reason, ProblemHttpResult? Refusal, Func<UnitOfWork, Registration, DateTimeOffset, Task>? Write = null)
    {
        public static Outcome Refuse(ProblemHttpResult problem) => new(null, "", null, problem);
    }

    public static async Task<Results<Ok<RegistrationResponse>, ProblemHttpResult>> ApplyAsync(
        Guid id, bool applicantOnly, Func<UnitOfWork, Registration, DateTimeOffset, Task<Outcome>> decide,
        HttpContext http, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct)
    {
        return await committer.RunAsync<Results<Ok<RegistrationResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var current = await RegistrationStore.FindAsync(uow, id);
                if (current is null || (applicantOnly && current.ApplicantId != user.ParticipantId()))
                {
                    return Problems.NotFound("The registration");
                }

                if (ETags.IfMatch(http.Request) is { } expected && expected != current.Version)
                {
                    return Problems.VersionMismatch(current.Version);
                }

                var now = time.GetUtcNow();
                var outcome = await decide(uow, current, now);
                if (outcome.Refusal is not null)
                {
                    return outcome.Refusal;
                }

                var changed = outcome.Changed! with { Version = current.Version + 1, UpdatedAt = now };
                if (!await RegistrationStore.UpdateAsync(uow, changed, current.Version))
                {
                    return Problems.VersionMismatch(current.Version);
                }

                await RegistrationStore.RecordAsync(uow, changed, outcome.Action, outcome.Reason, user.ParticipantId(), now);
                if (outcome.Write is not null)
                {
                    await outcome.Write(uow, changed, now);
                }

                ETags.Set(http, changed.Version);
                return TypedResults.Ok(changed.ToResponse());
            },
            ct);
    }
}
