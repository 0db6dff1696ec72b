using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Settlement.Withdrawals;

/// <summary>The routes of withdrawals and their approval, with who may call each; the handlers sit in this folder, a file each.</summary>
internal static class WithdrawalEndpoints
{
    public static void MapWithdrawals(this RouteGroupBuilder api)
    {
        api.MapPost("/withdrawals", RequestWithdrawal.Handle)
            .RequireAuthorization(Roles.Participant).WithName("RequestWithdrawal")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/withdrawals", ListWithdrawals.Handle)
            .RequireAuthorization(Roles.AnyParticipant).WithName("ListWithdrawals")
            .ProducesValidationProblem();
        api.MapGet("/withdrawals/{id:guid}", GetWithdrawal.Handle)
            .RequireAuthorization(Roles.AnyParticipant).WithName("GetWithdrawal")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/withdrawals/{id:guid}/approve", DecideWithdrawal.Approve)
            .RequireAuthorization(Roles.Operator).WithName("ApproveWithdrawal")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/withdrawals/{id:guid}/refuse", DecideWithdrawal.Refuse)
            .RequireAuthorization(Roles.Operator).WithName("RefuseWithdrawal")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
