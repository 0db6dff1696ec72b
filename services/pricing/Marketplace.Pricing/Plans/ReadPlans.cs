using Dapper;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Pricing.Plans;

/// <summary>
/// Plans are public to every admitted participant: <c>GET /pricing/plans/{id}</c> (with its ETag),
/// <c>GET /pricing/plans/{id}/revisions</c> (every revision's terms, published or retired, oldest first) and
/// <c>GET /pricing/products/{productId}/plans?includeRetired=</c>.
/// </summary>
internal static class ReadPlans
{
    private const string ByProductSql = $"""
        SELECT {PlanStore.Columns} FROM pricing.price_plans
        WHERE product_id = @ProductId AND (@IncludeRetired = 1 OR status = 'Published')
        ORDER BY seq
        """;

    private const string RevisionsSql = """
        SELECT revision, action, terms, actor_id, occurred_at FROM pricing.price_plan_revisions
        WHERE plan_id = @Id ORDER BY revision, occurred_at
        """;

    public static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> Get(Guid id, HttpContext http, PricingDb db, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        var plan = await PlanStore.FindAsync(uow, id);
        if (plan is null)
        {
            return Problems.NotFound("The price plan");
        }

        ETags.Set(http, plan.Version);
        return TypedResults.Ok(plan.ToResponse());
    }

    public static async Task<Results<Ok<IReadOnlyList<RevisionResponse>>, ProblemHttpResult>> Revisions(Guid id, PricingDb db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<PlanRevision>(RevisionsSql, new { Id = id })).AsList();
        return rows.Count == 0
            ? Problems.NotFound("The price plan")
            : TypedResults.Ok<IReadOnlyList<RevisionResponse>>([.. rows.Select(r => new RevisionResponse(r.Revision, r.Action, PlanTerms.FromJson(r.Terms), r.ActorId, r.OccurredAt))]);
    }

    public static async Task<Ok<IReadOnlyList<PlanResponse>>> ByProduct(Guid productId, bool? includeRetired, PricingDb db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<PricePlan>(ByProductSql, new { ProductId = productId, IncludeRetired = includeRetired == true ? 1 : 0 });
        return TypedResults.Ok<IReadOnlyList<PlanResponse>>([.. rows.Select(p => p.ToResponse())]);
    }
}

public sealed record RevisionResponse(int Revision, string Action, PlanTerms Terms, Guid ActorId, DateTimeOffset OccurredAt);
