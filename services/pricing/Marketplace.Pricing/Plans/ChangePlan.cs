using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Pricing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Pricing.Plans;

/// <summary>
/// The owner's changes to a published plan, each with <c>If-Match</c> honoured and optimistic concurrency:
/// <c>PUT /pricing/plans/{id}</c> publishes new terms as the next revision (<see cref="PricePlanPublished"/>);
/// <c>POST /pricing/plans/{id}/retire</c> stops new quotes on it (<see cref="PricePlanRetired"/>). Neither touches a
/// quote already issued: a quote carries its own copy of the terms.
/// </summary>
internal static class ChangePlan
{
    public static Task<Results<Ok<PlanResponse>, ProblemHttpResult>> Revise(
        Guid id, PlanTerms terms, HttpContext http, ClaimsPrincipal user, GroupCommitter<PricingDb> committer, TimeProvider time, CancellationToken ct) =>
        ApplyAsync(id, "published", (plan, now) =>
        {
            var normalised = terms.Normalised();
            var revised = plan with
            {
                Revision = plan.Revision + 1,
                Kind = normalised.Kind!.Value,
                Name = normalised.Name!,
                Currency = normalised.Currency!,
                Terms = normalised.ToJson(),
                FromPrice = normalised.FromPrice,
            };
            return (revised, PublishPlan.Published(revised, now));
        }, http, user, committer, time, ct);

    public static Task<Results<Ok<PlanResponse>, ProblemHttpResult>> Retire(
        Guid id, HttpContext http, ClaimsPrincipal user, GroupCommitter<PricingDb> committer, TimeProvider time, CancellationToken ct) =>
        ApplyAsync(id, "retired", (plan, now) =>
            (plan with { Status = PlanStatus.Retired }, new PricePlanRetired(plan.Id, plan.ProductId, plan.Revision, now)),
            http, user, committer, time, ct);

    private static readonly Versioned<PricePlan> Plans = new(
        "The price plan", PlanStore.FindAsync, p => p.Version, (p, version, at) => p with { Version = version, UpdatedAt = at }, PlanStore.UpdateAsync);

    /// <summary>Only a published plan changes; the change carries the event it publishes.</summary>
    private sealed record Outcome(PricePlan? Changed, object? Event, ProblemHttpResult? Refusal) : IChange<PricePlan>;

    private static Task<Results<Ok<PlanResponse>, ProblemHttpResult>> ApplyAsync(
        Guid id, string action, Func<PricePlan, DateTimeOffset, (PricePlan Changed, object Event)> change,
        HttpContext http, ClaimsPrincipal user, GroupCommitter<PricingDb> committer, TimeProvider time, CancellationToken ct)
    {
        var actor = user.ParticipantId()!.Value;
        return VersionedChange.ApplyAsync<PricePlan, Outcome, PlanResponse>(
            committer,
            Plans,
            id,
            p => p.OwnerId == actor,
            (_, current, now) =>
            {
                if (current.Status != PlanStatus.Published)
                {
                    return Task.FromResult(new Outcome(null, null, Problems.IllegalTransition(action == "retired" ? "retire the plan" : "revise the plan", current.Status.ToString())));
                }

                var (changed, evt) = change(current, now);
                return Task.FromResult(new Outcome(changed, evt, null));
            },
            async (uow, _, after, outcome, now) =>
            {
                await PlanStore.RecordAsync(uow, after, action, actor, now);
                await uow.PublishAsync(outcome.Event!, now);
            },
            p => p.ToResponse(),
            http,
            time,
            ct);
    }
}
