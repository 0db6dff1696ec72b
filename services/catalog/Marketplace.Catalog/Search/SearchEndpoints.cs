using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Catalog.Search;

/// <summary>The route of the full-text search of listed products, with who may call it.</summary>
internal static class SearchEndpoints
{
    public static void MapSearch(this RouteGroupBuilder api) =>
        api.MapGet("/search", SearchProducts.Handle)
            .RequireAuthorization(Roles.AnyParticipant).RequireRateLimiting(SearchProducts.RateLimitPolicy).WithName("SearchProducts")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status429TooManyRequests);
}
