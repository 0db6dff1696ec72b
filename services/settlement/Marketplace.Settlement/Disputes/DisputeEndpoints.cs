using System.Security.Claims;
using Dapper;
using FluentValidation;
using Marketplace.BuildingBlocks;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Settlement;
using Marketplace.Settlement.Orders;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Settlement.Disputes;

/// <summary>
/// Disputes (争议): <c>POST /settlement/orders/{id}/disputes</c> — the buyer of a completed trade, within the dispute
/// window, once per order, with grounds (the order is Disputed and its proceeds stay payable); <c>POST
/// /settlement/disputes/{id}/ruling</c> — an operator dismisses it, or refunds in full (everything back to the buyer,
/// the licence revoked: Refunded) or in part (an amount out of the holders' proceeds, split by their shares);
/// <c>GET /settlement/disputes?status=</c> — operators' queue.
/// </summary>
internal static class DisputeEndpoints
{
    private const string Columns = "seq, id, order_id, buyer_id, grounds, status, refund, ruling, ruled_by, filed_at, ruled_at";

    private const string InsertSql = """
        INSERT INTO settlement.disputes (id, order_id, buyer_id, grounds, status, filed_at) VALUES (@Id, @OrderId, @BuyerId, @Grounds, 'Open', @Now)
        """;

    private const string FindSql = $"SELECT {Columns} FROM settlement.disputes WHERE id = @Id";

    private const string ForOrderSql = "SELECT COUNT(*) FROM settlement.disputes WHERE order_id = @OrderId";

    private const string RuleSql = """
        UPDATE settlement.disputes SET status = @Status, refund = @Refund, ruling = @Ruling, ruled_by = @RuledBy, ruled_at = @Now
        WHERE id = @Id AND status = 'Open'
        """;

    private const string ListSqlServer = $"SELECT TOP (@Take) {Columns} FROM settlement.disputes WHERE seq > @After AND (@Status IS NULL OR status = @Status) ORDER BY seq";

    private const string ListSqlite = $"SELECT {Columns} FROM settlement.disputes WHERE seq > @After AND (@Status IS NULL OR status = @Status) ORDER BY seq LIMIT @Take";

    public static void MapDisputes(this RouteGroupBuilder api)
    {
        api.MapPost("/orders/{id:guid}/disputes", File)
            .RequireAuthorization(Roles.Buyer).WithName("DisputeTrade")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/disputes/{id:guid}/ruling", Rule)
            .RequireAuthorization(Roles.Operator).WithName("RuleOnDispute")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/disputes", List)
            .RequireAuthorization(Roles.Operator).WithName("ListDisputes").ProducesValidationProblem();
    }

    public static async Task<Results<Created<Dispute>, ProblemHttpResult>> File(
        Guid id, DisputeRequest request, ClaimsPrincipal user, GroupCommitter<SettlementDb> committer, TimeProvider time, CancellationToken ct)
    {
        var buyer = user.ParticipantId()!.Value;
        return await committer.RunAsync<Results<Created<Dispute>, ProblemHttpResult>>(
            async uow =>
            {
                var order = await OrderStore.FindAsync(uow, id);
                if (order is null || order.BuyerId != buyer)
                {
                    return Problems.NotFound("The order");
                }

                var now = time.GetUtcNow();
                if (order.Status != OrderStatus.Completed || order.ReleaseAt <= now)
                {
                    return Problems.IllegalTransition("dispute the trade", order.Status == OrderStatus.Completed ? "DisputeWindowClosed" : order.Status.ToString());
                }

                if (await uow.ExecuteScalarAsync<long>(ForOrderSql, new { OrderId = id }) > 0)
                {
                    return Problems.Conflict("This trade was disputed before; a trade is disputed once.");
                }

                if (await OrderChange.SaveAsync(uow, order, order with { Status = OrderStatus.Disputed }, buyer, now) is null)
                {
                    return Problems.Conflict("The order changed meanwhile; read it again.");
                }

                var dispute = new Dispute { Id = Guid.CreateVersion7(now), OrderId = id, BuyerId = buyer, Grounds = request.Grounds!, Status = "Open", FiledAt = now };
                await uow.ExecuteAsync(InsertSql, new { dispute.Id, dispute.OrderId, dispute.BuyerId, dispute.Grounds, Now = now });
                return TypedResults.Created($"/settlement/disputes/{dispute.Id}", dispute);
            },
            ct);
    }

    public static async Task<Results<Ok<Dispute>, ProblemHttpResult>> Rule(
        Guid id, DisputeRuling ruling, ClaimsPrincipal user, GroupCommitter<SettlementDb> committer, TradeMoney money, TimeProvider time, CancellationToken ct)
    {
        var op = user.ParticipantId()!.Value;
        return await committer.RunAsync<Results<Ok<Dispute>, ProblemHttpResult>>(
            async uow =>
            {
                var dispute = await uow.QuerySingleOrDefaultAsync<Dispute>(FindSql, new { Id = id });
                if (dispute is null)
                {
                    return Problems.NotFound("The dispute");
                }

                var order = (await OrderStore.FindAsync(uow, dispute.OrderId))!;
                if (dispute.Status != "Open" || order.Status != OrderStatus.Disputed)
                {
                    return Problems.IllegalTransition("rule on the dispute", dispute.Status);
                }

                var now = time.GetUtcNow();
                var remaining = TradeMoney.NetRemaining(order);
                var full = ruling.Decision == DisputeDecision.Refund && ruling.Amount is null;
                var partial = ruling.Decision == DisputeDecision.Refund ? ruling.Amount ?? remaining : 0;
                if (partial > remaining)
                {
                    return TypedResults.Problem($"A partial refund comes out of the holders' {remaining} still held from the trade.",
                        statusCode: StatusCodes.Status422UnprocessableEntity, title: "Refund too large");
                }

                Order next;
                string status;
                long? back = null;
                if (ruling.Decision == DisputeDecision.Dismiss)
                {
                    next = order with { Status = OrderStatus.Completed };
                    status = "Dismissed";
                }
                else
                {
                    await money.RefundAsync(uow, order, partial, full, op, "refund-dispute", now);
                    // What this ruling gives back: a full refund returns what is left of the total (earlier partial refunds were paid already).
                    back = full ? order.Total!.Value - order.Refunded : partial;
                    await uow.PublishAsync(new TradeRefunded(order.Id, order.BuyerId, order.ProductId, order.Currency!, back.Value, full, ruling.Reason!, now), now);
                    next = order with { Status = full ? OrderStatus.Refunded : OrderStatus.Completed, Refunded = order.Refunded + back.Value, Reason = full ? OrderReason.DisputeUpheld.Code() : order.Reason };
                    status = full ? "Refunded" : "PartlyRefunded";
                }

                if (await OrderChange.SaveAsync(uow, order, next, op, now) is null)
                {
                    return uow.RollBack(Problems.Conflict("The order changed meanwhile; read it again."));
                }

                await uow.ExecuteAsync(RuleSql, new { Id = id, Status = status, Refund = back, Ruling = ruling.Reason, RuledBy = op, Now = now });
                var after = (await uow.QuerySingleOrDefaultAsync<Dispute>(FindSql, new { Id = id }))!;
                return TypedResults.Ok(after);
            },
            ct);
    }

    public static async Task<Ok<Page<Dispute>>> List([AsParameters] DisputeQuery query, SettlementDb db, CancellationToken ct)
    {
        Cursor.TryDecode(query.After, out var after);
        var take = query.Limit ?? Cursor.DefaultPageSize;
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Dispute>(db.Sql(ListSqlServer, ListSqlite), new { After = after, query.Status, Take = take + 1 })).AsList();
        return TypedResults.Ok(Cursor.ToPage(rows, take, d => d.Seq, d => d));
    }
}

public enum DisputeDecision
{
    Dismiss,
    Refund,
}

public sealed record DisputeRequest(string? Grounds);

/// <summary>Dismiss, or refund: without an amount in full, with one that much of the holders' proceeds.</summary>
public sealed record DisputeRuling(DisputeDecision? Decision, long? Amount, string? Reason);

public sealed record DisputeQuery(string? Status, string? After, int? Limit);

public sealed record Dispute
{
    [System.Text.Json.Serialization.JsonIgnore]
    public long Seq { get; init; }

    public Guid Id { get; init; }

    public Guid OrderId { get; init; }

    public Guid BuyerId { get; init; }

    public string Grounds { get; init; } = "";

    public string Status { get; init; } = "";

    public long? Refund { get; init; }

    public string? Ruling { get; init; }

    public Guid? RuledBy { get; init; }

    public DateTimeOffset FiledAt { get; init; }

    public DateTimeOffset? RuledAt { get; init; }
}

internal sealed class DisputeRequestValidator : AbstractValidator<DisputeRequest>
{
    public DisputeRequestValidator() => RuleFor(r => r.Grounds).NotEmpty().MaximumLength(2000);
}

internal sealed class DisputeRulingValidator : AbstractValidator<DisputeRuling>
{
    public DisputeRulingValidator()
    {
        RuleFor(r => r.Decision).NotNull().IsInEnum();
        RuleFor(r => r.Amount).GreaterThan(0).LessThanOrEqualTo(Money.MaxAmount);
        RuleFor(r => r.Amount).Null().When(r => r.Decision == DisputeDecision.Dismiss).WithMessage("A dismissal refunds nothing.");
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
    }
}

internal sealed class DisputeQueryValidator : AbstractValidator<DisputeQuery>
{
    public DisputeQueryValidator()
    {
        RuleFor(q => q.Status).Must(s => s is null or "Open" or "Dismissed" or "Refunded" or "PartlyRefunded").WithMessage("Open, Dismissed, Refunded or PartlyRefunded.");
        RuleFor(q => q.After).Must(a => Cursor.TryDecode(a, out _)).WithMessage("Not a cursor this list returned.");
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxPageSize);
    }
}
