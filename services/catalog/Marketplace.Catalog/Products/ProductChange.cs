using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Products;

/// <summary>
/// The one path every change to a product takes: load; only its owner (for the provider's actions) may touch it —
/// anyone else gets the 404 a missing product gets; check <c>If-Match</c>; decide the transition; write it with
/// optimistic concurrency, append the history line and put the event (if any) in the outbox, in one transaction.
/// </summary>
internal static class ProductChange
{
    /// <summary>A decided change: the product's new state, its history line, the event to publish; or a refusal.</summary>
    public sealed record Outcome(
        Product? Changed, string Action, int? Revision, string? Detail, object? Event, ProblemHttpResult? Refusal,
        Func<Marketplace.BuildingBlocks.Data.UnitOfWork, DateTimeOffset, Task>? Write = null)
    {
        public static Outcome Refuse(ProblemHttpResult problem) => new(null, "", null, null, null, problem);
    }

    public static async Task<Results<Ok<ProductResponse>, ProblemHttpResult>> ApplyAsync(
        Guid id,
        bool ownerOnly,
        Func<Product, DateTimeOffset, Outcome> decide,
        HttpContext http,
        ClaimsPrincipal user,
        CatalogDb db, GroupCommitter<CatalogDb> committer,
        TimeProvider time,
        CancellationToken ct)
    {
        return await committer.RunAsync<Results<Ok<ProductResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var current = await ProductStore.FindAsync(uow, id);
                if (current is null || (ownerOnly && current.OwnerId != user.ParticipantId()))
                {
                    return Problems.NotFound("The product");
                }

                if (ETags.IfMatch(http.Request) is { } expected && expected != current.Version)
                {
                    return Problems.VersionMismatch(current.Version);
                }

                var now = time.GetUtcNow();
                var outcome = decide(current, now);
                if (outcome.Refusal is not null)
                {
                    return outcome.Refusal;
                }

                // The versioned update comes first: it takes the product's row lock, so a concurrent change waits here and
                // then finds the version moved (412) instead of colliding on the revision it would also write.
                var changed = outcome.Changed! with { Version = current.Version + 1, UpdatedAt = now };
                if (!await ProductStore.UpdateAsync(uow, changed, current.Version))
                {
                    return Problems.VersionMismatch(current.Version);
                }

                if (outcome.Write is not null)
                {
                    await outcome.Write(uow, now);
                }

                await Search.ProductSearchIndex.SyncAsync(uow, db, current, changed, now);
                await ProductStore.RecordAsync(uow, changed, outcome.Action, outcome.Revision, outcome.Detail, user.ParticipantId()!.Value, now);
                if (outcome.Event is not null)
                {
                    await uow.PublishAsync(outcome.Event, now);
                }

                ETags.Set(http, changed.Version);
                return TypedResults.Ok(changed.ToFullView());
            },
            ct);
    }
}
