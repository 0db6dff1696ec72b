using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Catalog.Products;

/// <summary>Routes of <c>/catalog/products</c>; each handler sits in a file named after it.</summary>
internal static class ProductEndpoints
{
    public static void MapProducts(this RouteGroupBuilder api)
    {
        var products = api.MapGroup("/products");
        products.MapPost("/", CreateProduct.Handle)
            .RequireAuthorization(Roles.Provider).WithName("CreateProduct")
            .ProducesValidationProblem();
        products.MapGet("/", ListProducts.Handle)
            .RequireAuthorization(Roles.AnyParticipant).WithName("ListProducts")
            .ProducesValidationProblem();
        products.MapGet("/{id:guid}", GetProduct.Handle)
            .RequireAuthorization(Roles.AnyParticipant).WithName("GetProduct")
            .ProducesProblem(StatusCodes.Status404NotFound);
        products.MapGet("/{id:guid}/history", ProductHistory.Handle)
            .RequireAuthorization(Roles.AnyParticipant).WithName("GetProductHistory")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var provider = products.MapGroup("/{id:guid}").RequireAuthorization(Roles.Provider)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        provider.MapPut("/draft", EditProduct.Handle).WithName("EditProduct").ProducesValidationProblem();
        provider.MapPost("/submit", SubmitProduct.Handle).WithName("SubmitProduct").ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        var operators = products.MapGroup("/{id:guid}").RequireAuthorization(Roles.Operator)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        operators.MapPost("/review", ReviewProduct.Start).WithName("StartProductReview");
        operators.MapPost("/approve", ReviewProduct.Approve).WithName("ApproveProduct").ProducesValidationProblem();
        operators.MapPost("/reject", ReviewProduct.Reject).WithName("RejectProduct").ProducesValidationProblem();
        operators.MapPost("/suspend", ProductListing.Suspend).WithName("SuspendProduct").ProducesValidationProblem();
        operators.MapPost("/reinstate", ProductListing.Reinstate).WithName("ReinstateProduct");
        operators.MapPost("/delist", ProductListing.Delist).WithName("DelistProduct").ProducesValidationProblem();
    }
}
