using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Products;

/// <summary>
/// Operator review: <c>POST /catalog/products/{id}/review</c> takes a submitted revision under review;
/// <c>/approve</c> (every checklist item passed) lists it — a first listing publishes <see cref="ProductListed"/>, a
/// later revision <see cref="ProductRevised"/>; <c>/reject</c> (at least one item failed, with its reason) returns it
/// to the provider as a draft. Each decision is kept in the product's history with its checklist.
/// </summary>
internal static class ReviewProduct
{
    public static Task<Results<Ok<ProductResponse>, ProblemHttpResult>> Start(
        Guid id, HttpContext http, ClaimsPrincipal user, CatalogDb db, GroupCommitter<CatalogDb> committer, TimeProvider time, CancellationToken ct) =>
        ProductChange.ApplyAsync(id, ownerOnly: false, (current, _) =>
            current.PendingState != RevisionState.Submitted
                ? ProductChange.Outcome.Refuse(Problems.IllegalTransition("start the review", current.PendingState?.ToString() ?? current.Status))
                : new ProductChange.Outcome(current with { PendingState = RevisionState.UnderReview }, "review-started", current.PendingRevision, null, null, null),
            http, user, db, committer, time, ct);

    public static Task<Results<Ok<ProductResponse>, ProblemHttpResult>> Approve(
        Guid id, ReviewDecision decision, HttpContext http, ClaimsPrincipal user, CatalogDb db, GroupCommitter<CatalogDb> committer, TimeProvider time, CancellationToken ct) =>
        ProductChange.ApplyAsync(id, ownerOnly: false, (current, now) =>
        {
            if (current.PendingState != RevisionState.UnderReview)
            {
                return ProductChange.Outcome.Refuse(Problems.IllegalTransition("approve the product", current.PendingState?.ToString() ?? current.Status));
            }

            if (!decision.Checklist!.AllPassed)
            {
                return ProductChange.Outcome.Refuse(Problems.Conflict("An approval needs every checklist item passed; reject with the failed items instead."));
            }

            var firstListing = current.Listing == ListingState.Unlisted;
            var listed = current with
            {
                Listing = firstListing ? ListingState.Listed : current.Listing,
                ListedRevision = current.PendingRevision,
                ListedContent = current.PendingContent,
                PendingRevision = null,
                PendingState = null,
                PendingContent = null,
                PendingReview = null,
            };
            var c = ProductContent.FromJson(listed.ListedContent!);
            object evt = firstListing
                ? new ProductListed(listed.Id, listed.OwnerId, listed.ListedRevision!.Value, c.Title!, c.Category!, c.Subject!.Value, c.Grade!.Value,
                    c.DeliveryMethods!, c.RequiresManualApproval, c.ExclusiveAllowed, c.ManifestSha256!, current.Version + 1, now)
                : new ProductRevised(listed.Id, listed.OwnerId, listed.ListedRevision!.Value, c.Title!, c.Category!, c.Subject!.Value, c.Grade!.Value,
                    c.DeliveryMethods!, c.RequiresManualApproval, c.ExclusiveAllowed, c.ManifestSha256!, current.Version + 1, now);
            return new ProductChange.Outcome(listed, firstListing ? "listed" : "revision-approved", listed.ListedRevision, decision.Checklist.ToJson(), evt, null);
        }, http, user, db, committer, time, ct);

    public static Task<Results<Ok<ProductResponse>, ProblemHttpResult>> Reject(
        Guid id, ReviewDecision decision, HttpContext http, ClaimsPrincipal user, CatalogDb db, GroupCommitter<CatalogDb> committer, TimeProvider time, CancellationToken ct) =>
        ProductChange.ApplyAsync(id, ownerOnly: false, (current, _) =>
        {
            if (current.PendingState != RevisionState.UnderReview)
            {
                return ProductChange.Outcome.Refuse(Problems.IllegalTransition("reject the product", current.PendingState?.ToString() ?? current.Status));
            }

            return decision.Checklist!.AllPassed
                ? ProductChange.Outcome.Refuse(Problems.Conflict("A rejection needs at least one failed checklist item with its reason."))
                : new ProductChange.Outcome(
                    current with { PendingState = RevisionState.Draft, PendingReview = decision.Checklist.ToJson() }, "rejected", current.PendingRevision,
                    decision.Checklist.ToJson(), null, null);
        }, http, user, db, committer, time, ct);
}
