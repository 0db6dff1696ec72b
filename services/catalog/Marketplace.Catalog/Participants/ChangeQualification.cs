using System.Security.Claims;
using FluentValidation;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Participants;

/// <summary><c>PUT /catalog/participants/{id}/qualification</c> (operator): grades a buyer.</summary>
internal static class ChangeQualification
{
    public static Task<Results<Ok<ParticipantResponse>, ProblemHttpResult>> Handle(
        Guid id, ChangeQualificationRequest request, HttpContext http, ClaimsPrincipal user, GroupCommitter<CatalogDb> committer,
        TimeProvider time, CancellationToken ct) =>
        ParticipantChange.ApplyAsync(id, "qualification-changed", (current, now) =>
        {
            var level = request.Qualification!.Value;
            if (!current.Roles.HasFlag(ParticipantRoles.Buyer))
            {
                return ParticipantChange.Outcome.Refuse(
                    Problems.Conflict("Only a buyer has a qualification level; this participant is not admitted as a buyer."));
            }

            return current.Qualification == level
                ? ParticipantChange.Outcome.Unchanged
                : new ParticipantChange.Outcome(
                    current with { Qualification = level },
                    $"{current.Qualification} -> {level}",
                    changed => new ParticipantQualificationChanged(changed.Id, level, changed.Version, now),
                    null);
        }, http, user, committer, time, ct);
}

public sealed record ChangeQualificationRequest(QualificationLevel? Qualification);

internal sealed class ChangeQualificationRequestValidator : AbstractValidator<ChangeQualificationRequest>
{
    public ChangeQualificationRequestValidator() => RuleFor(r => r.Qualification).NotNull().IsInEnum();
}
