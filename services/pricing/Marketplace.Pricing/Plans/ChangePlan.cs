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

    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> ApplyAsync(
        Guid id, string action, Func<PricePlan, DateTimeOffset, (PricePlan Changed, object Event)> change,
        HttpContext http, ClaimsPrincipal user, GroupCommitter<PricingDb> committer, TimeProvider time, CancellationToken ct)
    {
        var actor = user.ParticipantId()!.Value;
        return await committer.RunAsync<Results<Ok<PlanResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var current = await PlanStore.FindAsync(uow, id);
                if (current is null || current.OwnerId != actor)
                {
                    return Problems.NotFound("The price plan");
                }

                if (ETags.IfMatch(http.Request) is { } expected && expected != current.Version)
                {
                    return Problems.VersionMismatch(current.Version);
                }

                if (current.Status != PlanStatus.Published)
                {
                    return Problems.IllegalTransition(action == "retired" ? "retire the plan" : "revise the plan", current.Status.ToString());
                }

                var now = time.GetUtcNow();
                var (changed, evt) = change(current, now);
                changed = changed with { Version = current.Version + 1, UpdatedAt = now };
                if (!await PlanStore.UpdateAsync(uow, changed, current.Version))
                {
                    return Problems.VersionMismatch(current.Version);
                }

                await PlanStore.RecordAsync(uow, changed, action, actor, now);
                await uow.PublishAsync(evt, now);
                ETags.Set(http, changed.Version);
                return TypedResults.Ok(changed.ToResponse());
            },
            ct);
    }
}
