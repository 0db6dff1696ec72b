using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Pricing;
using Marketplace.Pricing.Products;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Pricing.Plans;

/// <summary>
/// <c>POST /pricing/products/{productId}/plans</c> (provider): the product's owner publishes a plan for a product
/// catalog has listed (at most <see cref="MaxPublished"/> at a time; none on a delisted product). Publishes
/// <see cref="PricePlanPublished"/>.
/// </summary>
internal static class PublishPlan
{
    public const int MaxPublished = 20;

    public static async Task<Results<Created<PlanResponse>, ProblemHttpResult>> Handle(
        Guid productId, PlanTerms terms, HttpContext http, ClaimsPrincipal user, GroupCommitter<PricingDb> committer, TimeProvider time, CancellationToken ct)
    {
        var owner = user.ParticipantId()!.Value;
        return await committer.RunAsync<Results<Created<PlanResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var product = await ProductDirectory.FindAsync(uow, productId);
                if (product is null || product.OwnerId != owner)
                {
                    return Problems.NotFound("The listed product");
                }

                if (product.Status == ProductStatus.Delisted)
                {
                    return Problems.IllegalTransition("publish a plan", "Delisted");
                }

                if (await PlanStore.CountPublishedAsync(uow, productId) >= MaxPublished)
                {
                    return Problems.Conflict($"A product has at most {MaxPublished} published plans; retire one first.");
                }

                var now = time.GetUtcNow();
                var normalised = terms.Normalised();
                var plan = new PricePlan
                {
                    Id = Guid.CreateVersion7(now),
                    ProductId = productId,
                    OwnerId = owner,
                    Revision = 1,
                    Kind = normalised.Kind!.Value,
                    Name = normalised.Name!,
                    Currency = normalised.Currency!,
                    Terms = normalised.ToJson(),
                    FromPrice = normalised.FromPrice,
                    Status = PlanStatus.Published,
                    Version = 1,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                await PlanStore.InsertAsync(uow, plan);
                await PlanStore.RecordAsync(uow, plan, "published", owner, now);
                await uow.PublishAsync(Published(plan, now), now);
                ETags.Set(http, plan.Version);
                return TypedResults.Created($"/pricing/plans/{plan.Id}", plan.ToResponse());
            },
            ct);
    }

    public static PricePlanPublished Published(PricePlan plan, DateTimeOffset now) =>
        new(plan.Id, plan.ProductId, plan.Revision, plan.Kind, plan.Name, plan.Currency, plan.FromPrice, now);
}
