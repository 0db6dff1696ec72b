using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Participants;

/// <summary><c>POST /catalog/participants/{id}/reinstate</c> (operator): Suspended → Active.</summary>
internal static class ReinstateParticipant
{
    public static Task<Results<Ok<ParticipantResponse>, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, ClaimsPrincipal user, GroupCommitter<CatalogDb> committer, TimeProvider time, CancellationToken ct) =>
        ParticipantChange.ApplyAsync(id, "reinstated", (current, now) =>
            current.Status != ParticipantStatus.Suspended
                ? ParticipantChange.Outcome.Refuse(Problems.IllegalTransition("reinstate", current.Status.ToString()))
                : new ParticipantChange.Outcome(
                    current with { Status = ParticipantStatus.Active, StatusReason = null },
                    null,
                    changed => new ParticipantReinstated(changed.Id, changed.Version, now),
                    null),
            http, user, committer, time, ct);
}
