using System.Security.Claims;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Products;

/// <summary>
/// <c>GET /catalog/products/{id}</c>: its provider and operators see everything (the pending revision too); any other
/// participant sees a listed product's listed revision, and nothing of an unlisted, suspended or delisted one.
/// </summary>
internal static class GetProduct
{
    public static async Task<Results<Ok<ProductResponse>, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, ClaimsPrincipal user, CatalogDb db, CancellationToken ct)
    {
        var product = await ProductStore.FindAsync(db, id, ct);
        if (product is null)
        {
            return Problems.NotFound("The product");
        }

        ProductResponse? view = user.MaySee(product.OwnerId) ? product.ToFullView()
            : product.Listing == ListingState.Listed ? product.ToBuyerView()
            : null;
        if (view is null)
        {
            return Problems.NotFound("The product");
        }

        ETags.Set(http, product.Version);
        return TypedResults.Ok(view);
    }
}
