using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Settlement.Accounts;

/// <summary>Routes of <c>/settlement/participants/{id}/accounts</c>.</summary>
internal static class AccountEndpoints
{
    public static void MapAccounts(this RouteGroupBuilder api)
    {
        api.MapGet("/participants/{id:guid}/accounts", GetParticipantAccounts.Handle)
            .RequireAuthorization(Roles.AnyParticipant).WithName("GetParticipantAccounts")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
