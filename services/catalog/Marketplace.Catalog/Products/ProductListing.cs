using System.Security.Claims;
using FluentValidation;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Products;

/// <summary>
/// Operator actions on a listing: <c>POST /catalog/products/{id}/suspend</c> (Listed → Suspended, with a reason),
/// <c>/reinstate</c> (Suspended → Listed), <c>/delist</c> (Listed or Suspended → Delisted, for good, with a reason).
/// </summary>
internal static class ProductListing
{
    public static Task<Results<Ok<ProductResponse>, ProblemHttpResult>> Suspend(
        Guid id, ListingReason request, HttpContext http, ClaimsPrincipal user, CatalogDb db, GroupCommitter<CatalogDb> committer, TimeProvider time, CancellationToken ct) =>
        ProductChange.ApplyAsync(id, ownerOnly: false, (current, now) =>
            current.Listing != ListingState.Listed
                ? ProductChange.Outcome.Refuse(Problems.IllegalTransition("suspend the product", current.Status))
                : new ProductChange.Outcome(
                    current with { Listing = ListingState.Suspended, StatusReason = request.Reason!.Trim() },
                    "suspended", current.ListedRevision, request.Reason.Trim(),
                    new ProductSuspended(current.Id, request.Reason.Trim(), current.Version + 1, now), null),
            http, user, db, committer, time, ct);

    public static Task<Results<Ok<ProductResponse>, ProblemHttpResult>> Reinstate(
        Guid id, HttpContext http, ClaimsPrincipal user, CatalogDb db, GroupCommitter<CatalogDb> committer, TimeProvider time, CancellationToken ct) =>
        ProductChange.ApplyAsync(id, ownerOnly: false, (current, now) =>
            current.Listing != ListingState.Suspended
                ? ProductChange.Outcome.Refuse(Problems.IllegalTransition("reinstate the product", current.Status))
                : new ProductChange.Outcome(
                    current with { Listing = ListingState.Listed, StatusReason = null },
                    "reinstated", current.ListedRevision, null, new ProductReinstated(current.Id, current.Version + 1, now), null),
            http, user, db, committer, time, ct);

    public static Task<Results<Ok<ProductResponse>, ProblemHttpResult>> Delist(
        Guid id, ListingReason request, HttpContext http, ClaimsPrincipal user, CatalogDb db, GroupCommitter<CatalogDb> committer, TimeProvider time, CancellationToken ct) =>
        ProductChange.ApplyAsync(id, ownerOnly: false, (current, now) =>
            current.Listing is not (ListingState.Listed or ListingState.Suspended)
                ? ProductChange.Outcome.Refuse(Problems.IllegalTransition("delist the product", current.Status))
                : new ProductChange.Outcome(
                    current with { Listing = ListingState.Delisted, StatusReason = request.Reason!.Trim(), PendingRevision = null, PendingState = null, PendingContent = null, PendingReview = null },
                    "delisted", current.ListedRevision, request.Reason.Trim(),
                    new ProductDelisted(current.Id, request.Reason.Trim(), current.Version + 1, now), null),
            http, user, db, committer, time, ct);
}

public sealed record ListingReason(string? Reason);

internal sealed class ListingReasonValidator : AbstractValidator<ListingReason>
{
    public ListingReasonValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
}
