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
        : IChange<Registration>
    {
        public static Outcome Refuse(ProblemHttpResult problem) => new(null, "", null, problem);
    }

    private static readonly Versioned<Registration> Registrations = new(
        "The registration", RegistrationStore.FindAsync, r => r.Version, (r, version, at) => r with { Version = version, UpdatedAt = at }, RegistrationStore.UpdateAsync);

    public static Task<Results<Ok<RegistrationResponse>, ProblemHttpResult>> ApplyAsync(
        Guid id, bool applicantOnly, Func<UnitOfWork, Registration, DateTimeOffset, Task<Outcome>> decide,
        HttpContext http, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct) =>
        VersionedChange.ApplyAsync<Registration, Outcome, RegistrationResponse>(
            committer,
            Registrations,
            id,
            r => !applicantOnly || r.ApplicantId == user.ParticipantId(),
            decide,
            async (uow, _, after, outcome, now) =>
            {
                await RegistrationStore.RecordAsync(uow, after, outcome.Action, outcome.Reason, user.ParticipantId(), now);
                if (outcome.Write is not null)
                {
                    await outcome.Write(uow, after, now);
                }
            },
            r => r.ToResponse(),
            http,
            time,
            ct);
}
