using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Settlement.Deposits;

/// <summary>The routes of deposits, by an operator and by the bank's webhook, with who may call each; the handlers sit in this folder, a file each.</summary>
internal static class DepositEndpoints
{
    public static void MapDeposits(this RouteGroupBuilder api)
    {
        api.MapPost("/deposits", RecordDeposit.Handle)
            .RequireAuthorization(Roles.Operator).WithName("RecordDeposit")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/deposits/webhook", DepositWebhook.Handle)
            .AllowAnonymous().WithName("DepositWebhook")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
