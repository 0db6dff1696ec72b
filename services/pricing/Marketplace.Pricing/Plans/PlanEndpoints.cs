using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Pricing.Plans;

/// <summary>Routes of price plans; each handler sits in a file named after it.</summary>
internal static class PlanEndpoints
{
    public static void MapPlans(this RouteGroupBuilder api)
    {
        api.MapPost("/products/{productId:guid}/plans", PublishPlan.Handle)
            .RequireAuthorization(Roles.Provider).WithName("PublishPricePlan")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/products/{productId:guid}/plans", ReadPlans.ByProduct)
            .RequireAuthorization(Roles.AnyParticipant).WithName("ListPricePlans");

        var plans = api.MapGroup("/plans/{id:guid}");
        plans.MapGet("/", ReadPlans.Get).RequireAuthorization(Roles.AnyParticipant).WithName("GetPricePlan")
            .ProducesProblem(StatusCodes.Status404NotFound);
        plans.MapGet("/revisions", ReadPlans.Revisions).RequireAuthorization(Roles.AnyParticipant).WithName("GetPricePlanRevisions")
            .ProducesProblem(StatusCodes.Status404NotFound);
        var owner = plans.MapGroup("/").RequireAuthorization(Roles.Provider)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        owner.MapPut("/", ChangePlan.Revise).WithName("RevisePricePlan").ProducesValidationProblem();
        owner.MapPost("/retire", ChangePlan.Retire).WithName("RetirePricePlan");
    }
}
