using System.Security.Claims;
using FluentValidation;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Rights.Calendar;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Marketplace.Rights.Registrations;

/// <summary>
/// Operator review, each decision with its reason (required to return or refuse):
/// <c>POST /rights/registrations/{id}/formal-review</c> (Submitted → FormalPassed | Returned | Refused) and
/// <c>POST …/substantive-review</c> (FormalPassed → InNotice | Returned | Refused). Passing the substantive review
/// opens the public notice (公示): <c>Rights:Notice:WorkingDays</c> (default 10) working days by the operators' calendar.
/// </summary>
internal static class ReviewRegistration
{
    public static Task<Results<Ok<RegistrationResponse>, ProblemHttpResult>> Formal(
        Guid id, ReviewDecision decision, HttpContext http, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct) =>
        RegistrationChange.ApplyAsync(id, applicantOnly: false, (_, current, _) => Task.FromResult(
            current.Status != RegistrationStatus.Submitted
                ? RegistrationChange.Outcome.Refuse(Problems.IllegalTransition("take the formal review", current.Status.ToString()))
                : Decide(current, decision, "formal", RegistrationStatus.FormalPassed, null)), http, user, committer, time, ct);

    public static Task<Results<Ok<RegistrationResponse>, ProblemHttpResult>> Substantive(
        Guid id, ReviewDecision decision, HttpContext http, ClaimsPrincipal user, RightsDb db, GroupCommitter<RightsDb> committer, TimeProvider time,
        IOptions<RightsOptions> options,
        CancellationToken ct) =>
        RegistrationChange.ApplyAsync(id, applicantOnly: false, async (uow, current, now) =>
        {
            if (current.Status != RegistrationStatus.FormalPassed)
            {
                return RegistrationChange.Outcome.Refuse(Problems.IllegalTransition("take the substantive review", current.Status.ToString()));
            }

            var calendar = await CalendarStore.LoadAsync(uow, db, DateOnly.FromDateTime(now.ToOffset(WorkingCalendar.ChinaStandardTime).DateTime));
            var noticeEnds = calendar.NoticeEnds(now, options.Value.Notice.WorkingDays);
            return Decide(current, decision, "substantive", RegistrationStatus.InNotice, noticeEnds);
        }, http, user, committer, time, ct);

    private static RegistrationChange.Outcome Decide(
        Registration current, ReviewDecision decision, string stage, RegistrationStatus passed, DateTimeOffset? noticeEnds) => decision.Decision switch
        {
            ReviewOutcome.Pass => new(current with { Status = passed, NoticeEndsAt = noticeEnds }, $"{stage}-passed", decision.Reason, null),
            ReviewOutcome.Return => new(current with { Status = RegistrationStatus.Returned }, $"{stage}-returned", decision.Reason, null),
            _ => new(current with { Status = RegistrationStatus.Refused }, $"{stage}-refused", decision.Reason, null),
        };
}

public enum ReviewOutcome
{
    Pass,
    Return,
    Refuse,
}

public sealed record ReviewDecision(ReviewOutcome? Decision, string? Reason);

internal sealed class ReviewDecisionValidator : AbstractValidator<ReviewDecision>
{
    public ReviewDecisionValidator()
    {
        RuleFor(d => d.Decision).NotNull().IsInEnum();
        RuleFor(d => d.Reason).NotEmpty().When(d => d.Decision is ReviewOutcome.Return or ReviewOutcome.Refuse)
            .WithMessage("Returning or refusing an application needs the reason.");
        RuleFor(d => d.Reason).MaximumLength(2000);
    }
}
