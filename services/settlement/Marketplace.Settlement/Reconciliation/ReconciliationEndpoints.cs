using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Settlement.Reconciliation;

/// <summary>The routes of the ledger's reconciliation, with who may call each; the handlers sit in this folder, a file each.</summary>
internal static class ReconciliationEndpoints
{
    public static void MapReconciliation(this RouteGroupBuilder api)
    {
        api.MapGet("/reconciliation", GetReconciliation.Handle)
            .RequireAuthorization(Roles.Operator).WithName("Reconcile");
    }
}
