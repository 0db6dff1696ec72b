using System.Security.Claims;
using FluentValidation;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Participants;

/// <summary><c>POST /catalog/participants/{id}/suspend</c> (operator): Active → Suspended, with a reason.</summary>
internal static class SuspendParticipant
{
    public static Task<Results<Ok<ParticipantResponse>, ProblemHttpResult>> Handle(
        Guid id, SuspendParticipantRequest request, HttpContext http, ClaimsPrincipal user, GroupCommitter<CatalogDb> committer,
        TimeProvider time, CancellationToken ct) =>
        ParticipantChange.ApplyAsync(id, "suspended", (current, now) =>
            current.Status != ParticipantStatus.Active
                ? ParticipantChange.Outcome.Refuse(Problems.IllegalTransition("suspend", current.Status.ToString()))
                : new ParticipantChange.Outcome(
                    current with { Status = ParticipantStatus.Suspended, StatusReason = request.Reason!.Trim() },
                    request.Reason.Trim(),
                    changed => new ParticipantSuspended(changed.Id, changed.StatusReason!, changed.Version, now),
                    null),
            http, user, committer, time, ct);
}

public sealed record SuspendParticipantRequest(string? Reason);

internal sealed class SuspendParticipantRequestValidator : AbstractValidator<SuspendParticipantRequest>
{
    public SuspendParticipantRequestValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
}
