using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Products;

/// <summary>
/// <c>POST /catalog/products/{id}/submit</c> (its provider): sends the pending draft to review, if the product may be
/// traded at all (<see cref="ProductRules"/>); otherwise 422 with the reasons per field.
/// </summary>
internal static class SubmitProduct
{
    public static Task<Results<Ok<ProductResponse>, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, ClaimsPrincipal user, CatalogDb db, GroupCommitter<CatalogDb> committer, TimeProvider time, CancellationToken ct) =>
        ProductChange.ApplyAsync(id, ownerOnly: true, (current, _) =>
        {
            if (current.PendingState != RevisionState.Draft)
            {
                return ProductChange.Outcome.Refuse(Problems.IllegalTransition("submit the product", current.PendingState?.ToString() ?? current.Status));
            }

            var violations = ProductRules.Violations(ProductContent.FromJson(current.PendingContent!));
            if (violations.Count > 0)
            {
                return ProductChange.Outcome.Refuse(TypedResults.Problem(new HttpValidationProblemDetails(violations)
                {
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Title = "This product cannot be traded as described",
                }));
            }

            return new ProductChange.Outcome(current with { PendingState = RevisionState.Submitted, PendingReview = null }, "submitted", current.PendingRevision, null, null, null);
        }, http, user, db, committer, time, ct);
}
