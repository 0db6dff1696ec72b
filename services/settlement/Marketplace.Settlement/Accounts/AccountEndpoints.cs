using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Settlement.Accounts;

/// <summary>The routes of a participant's accounts, with who may call each; the handlers sit in this folder, a file each.</summary>
internal static class AccountEndpoints
{
    public static void MapAccounts(this RouteGroupBuilder api)
    {
        api.MapGet("/participants/{id:guid}/accounts", GetParticipantAccounts.Handle)
            .RequireAuthorization(Roles.AnyParticipant).WithName("GetParticipantAccounts")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
