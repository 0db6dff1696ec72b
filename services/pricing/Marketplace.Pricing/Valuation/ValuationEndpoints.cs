using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.Pricing.Comparables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Pricing.Valuation;

/// <summary>Routes of valuations and price guidance.</summary>
internal static class ValuationEndpoints
{
    public static void MapValuations(this RouteGroupBuilder api)
    {
        api.MapPost("/products/{productId:guid}/valuations", ValueProduct.Create)
            .RequireAuthorization(Roles.AnyParticipant).WithName("ValueProduct")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/products/{productId:guid}/valuations", ValueProduct.Compare)
            .RequireAuthorization(Roles.AnyParticipant).WithName("CompareValuations").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/valuations/{id:guid}", ValueProduct.Get)
            .RequireAuthorization(Roles.AnyParticipant).WithName("GetValuation").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/products/{productId:guid}/guidance", PriceGuidance.Handle)
            .RequireAuthorization(Roles.AnyParticipant).WithName("GetPriceGuidance")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
