using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Products;

/// <summary>
/// <c>PUT /catalog/products/{id}/draft</c> (its provider): edits the pending draft, or — for a listed or suspended
/// product — starts a new revision, which goes through review while the listed revision stays visible. A revision
/// under review cannot change; a delisted product cannot change at all. Revisions are numbered 1, 2, … in order:
/// a pending draft exists until it is approved and becomes the listed one, so the next is always the listed + 1.
/// </summary>
internal static class EditProduct
{
    public static Task<Results<Ok<ProductResponse>, ProblemHttpResult>> Handle(
        Guid id, ProductContent content, HttpContext http, ClaimsPrincipal user, CatalogDb db, GroupCommitter<CatalogDb> committer, TimeProvider time, CancellationToken ct) =>
        ProductChange.ApplyAsync(id, ownerOnly: true, (current, _) =>
        {
            if (current.Listing == ListingState.Delisted)
            {
                return ProductChange.Outcome.Refuse(Problems.IllegalTransition("edit the product", current.Status));
            }

            if (current.PendingState is RevisionState.Submitted or RevisionState.UnderReview)
            {
                return ProductChange.Outcome.Refuse(Problems.IllegalTransition("edit the product", current.PendingState.Value.ToString()));
            }

            var isNew = current.PendingRevision is null;
            var revision = current.PendingRevision ?? (current.ListedRevision ?? 0) + 1;
            return new ProductChange.Outcome(
                current with { PendingRevision = revision, PendingState = RevisionState.Draft, PendingContent = content.ToJson() },
                isNew ? "revision-started" : "edited",
                revision,
                null,
                null,
                null,
                (uow, at) => ProductStore.SaveDraftAsync(uow, current.Id, revision, isNew, content, at));
        }, http, user, db, committer, time, ct);
}
