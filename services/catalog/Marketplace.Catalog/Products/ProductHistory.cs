using System.Security.Claims;
using Dapper;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Products;

/// <summary>
/// <c>GET /catalog/products/{id}/history</c> (its provider, operators): every transition and review decision, with
/// the revision it concerns and, for a review, the checklist item by item.
/// </summary>
internal static class ProductHistory
{
    private const string HistorySql = """
        SELECT version, action, revision, detail, actor_id, occurred_at
        FROM catalog.product_history WHERE product_id = @Id ORDER BY version
        """;

    private const string OwnerSql = "SELECT owner_id FROM catalog.products WHERE id = @Id";

    public static async Task<Results<Ok<IReadOnlyList<ProductHistoryEntry>>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal user, CatalogDb db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var owner = await connection.QuerySingleOrDefaultAsync<Guid?>(OwnerSql, new { Id = id });
        if (owner is null || !user.MaySee(owner.Value))
        {
            return Problems.NotFound("The product");
        }

        var entries = await connection.QueryAsync<ProductHistoryEntry>(HistorySql, new { Id = id });
        return TypedResults.Ok<IReadOnlyList<ProductHistoryEntry>>([.. entries]);
    }
}

public sealed record ProductHistoryEntry
{
    public int Version { get; init; }

    public string Action { get; init; } = "";

    public int? Revision { get; init; }

    /// <summary>The reason, or for a review decision the checklist as JSON.</summary>
    public string? Detail { get; init; }

    public Guid ActorId { get; init; }

    public DateTimeOffset OccurredAt { get; init; }
}
