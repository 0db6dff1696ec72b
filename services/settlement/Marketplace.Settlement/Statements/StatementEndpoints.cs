using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Settlement.Statements;

/// <summary>The routes of a participant's statement, with who may call each; the handlers sit in this folder, a file each.</summary>
internal static class StatementEndpoints
{
    public static void MapStatements(this RouteGroupBuilder api)
    {
        api.MapGet("/participants/{id:guid}/statement", GetStatement.Handle)
            .RequireAuthorization(Roles.AnyParticipant).WithName("GetStatement")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
