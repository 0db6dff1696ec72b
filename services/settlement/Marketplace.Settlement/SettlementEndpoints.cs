using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.Settlement.Accounts;
using Marketplace.Settlement.Deposits;
using Marketplace.Settlement.Orders;
using Marketplace.Settlement.Reconciliation;
using Marketplace.Settlement.Reports;
using Marketplace.Settlement.Statements;
using Marketplace.Settlement.Vouchers;
using Marketplace.Settlement.Withdrawals;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Settlement;

/// <summary>Every route of <c>/settlement</c>, with who may call it; each handler sits in a file named after it.</summary>
internal static class SettlementEndpoints
{
    public static void MapSettlementEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/participants/{id:guid}/accounts", GetParticipantAccounts.Handle)
            .RequireAuthorization(Roles.AnyParticipant).WithName("GetParticipantAccounts")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/participants/{id:guid}/statement", GetStatement.Handle)
            .RequireAuthorization(Roles.AnyParticipant).WithName("GetStatement")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/deposits", RecordDeposit.Handle)
            .RequireAuthorization(Roles.Operator).WithName("RecordDeposit")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/deposits/webhook", DepositWebhook.Handle)
            .AllowAnonymous().WithName("DepositWebhook")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status409Conflict);

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

        api.MapGet("/reconciliation", GetReconciliation.Handle)
            .RequireAuthorization(Roles.Operator).WithName("Reconcile");

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
        api.MapPost("/orders/{id:guid}/disputes", Disputes.DisputeEndpoints.File)
            .RequireAuthorization(Roles.Buyer).WithName("DisputeTrade")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/disputes/{id:guid}/ruling", Disputes.DisputeEndpoints.Rule)
            .RequireAuthorization(Roles.Operator).WithName("RuleOnDispute")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/disputes", Disputes.DisputeEndpoints.List)
            .RequireAuthorization(Roles.Operator).WithName("ListDisputes").ProducesValidationProblem();
        api.MapVouchers();
        api.MapGet("/reports/daily", DailySummary.Handle)
            .RequireAuthorization(Roles.Operator).WithName("DailySummary").ProducesValidationProblem();
    }
}
