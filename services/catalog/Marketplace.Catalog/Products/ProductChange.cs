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
        Func<UnitOfWork, DateTimeOffset, Task>? Write = null) : IChange<Product>
    {
        public static Outcome Refuse(ProblemHttpResult problem) => new(null, "", null, null, null, problem);
    }

    private static readonly Versioned<Product> Products = new(
        "The product", ProductStore.FindAsync, p => p.Version, (p, version, at) => p with { Version = version, UpdatedAt = at }, ProductStore.UpdateAsync);

    /// <summary>
    /// Through <see cref="VersionedChange"/>; the versioned update comes first, so it takes the product's row lock and a
    /// concurrent change waits there and then finds the version moved (412) instead of colliding on the revision.
    /// </summary>
    public static Task<Results<Ok<ProductResponse>, ProblemHttpResult>> ApplyAsync(
        Guid id,
        bool ownerOnly,
        Func<Product, DateTimeOffset, Outcome> decide,
        HttpContext http,
        ClaimsPrincipal user,
        CatalogDb db,
        GroupCommitter<CatalogDb> committer,
        TimeProvider time,
        CancellationToken ct) =>
        VersionedChange.ApplyAsync<Product, Outcome, ProductResponse>(
            committer,
            Products,
            id,
            p => !ownerOnly || p.OwnerId == user.ParticipantId(),
            (_, current, now) => Task.FromResult(decide(current, now)),
            async (uow, before, after, outcome, now) =>
            {
                if (outcome.Write is not null)
                {
                    await outcome.Write(uow, now);
                }

                await Search.ProductSearchIndex.SyncAsync(uow, db, before, after, now);
                await ProductStore.RecordAsync(uow, after, outcome.Action, outcome.Revision, outcome.Detail, user.ParticipantId()!.Value, now);
                if (outcome.Event is not null)
                {
                    await uow.PublishAsync(outcome.Event, now);
                }
            },
            p => p.ToFullView(),
            http,
            time,
            ct);
}
