using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Settlement.Reports;

/// <summary>The routes of operator reports, with who may call each; the handlers sit in this folder, a file each.</summary>
internal static class ReportEndpoints
{
    public static void MapReports(this RouteGroupBuilder api)
    {
        api.MapGet("/reports/daily", DailySummary.Handle)
            .RequireAuthorization(Roles.Operator).WithName("DailySummary").ProducesValidationProblem();
    }
}
