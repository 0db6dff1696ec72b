using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Settlement.Orders;

/// <summary>The routes of orders: placing, reading, accepting, cancelling, with who may call each; the handlers sit in this folder, a file each.</summary>
internal static class OrderEndpoints
{
    public static void MapOrders(this RouteGroupBuilder api)
    {
        api.MapPost("/orders", PlaceOrder.Handle)
            .RequireAuthorization(Roles.Buyer).RequireRateLimiting(PlaceOrder.RateLimitPolicy).WithName("PlaceOrder").AddEndpointFilter(OrderETag.Filter)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/orders", ReadOrders.List)
            .RequireAuthorization(Roles.AnyParticipant).WithName("ListOrders").ProducesValidationProblem();
        api.MapGet("/orders/{id:guid}", ReadOrders.Get)
            .RequireAuthorization(Roles.AnyParticipant).WithName("GetOrder").Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/orders/{id:guid}/accept", AcceptOrder.Handle)
            .RequireAuthorization(Roles.Buyer).WithName("AcceptQuote").AddEndpointFilter(OrderETag.Filter)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/orders/{id:guid}/cancel", AcceptOrder.Cancel)
            .RequireAuthorization(Roles.Buyer).WithName("CancelOrder").AddEndpointFilter(OrderETag.Filter)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
