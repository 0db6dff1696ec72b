using System.Security.Claims;
using Dapper;
using FluentValidation;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Rights.Certificates;
using Marketplace.Rights.Products;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Rights.Access;

/// <summary>
/// <c>GET /rights/access/explain?buyerId=&amp;productId=&amp;exclusive=</c>: a buyer about itself, an operator about
/// anyone — every rule with its outcome. <c>GET /rights/access/requests?status=</c> (the provider's own, operators all);
/// <c>POST /rights/access/requests/{orderId}/approve</c> (the provider: the rules are evaluated again, now) and
/// <c>/refuse</c> (with the reason). <c>POST /rights/products/{productId}/security-assessments</c> (operator) records
/// a cross-border security assessment; <c>GET</c> lists them (the provider, operators).
/// </summary>
internal static class AccessEndpoints
{
    private const string ListSqlServer = $"""
        SELECT TOP (@Take) {AccessDecisions.Columns} FROM rights.access_requests
        WHERE seq > @After AND (@Caller IS NULL OR provider_id = @Caller) AND (@Status IS NULL OR status = @Status) ORDER BY seq OPTION (RECOMPILE)
        """;

    private const string ListSqlite = $"""
        SELECT {AccessDecisions.Columns} FROM rights.access_requests
        WHERE seq > @After AND (@Caller IS NULL OR provider_id = @Caller) AND (@Status IS NULL OR status = @Status) ORDER BY seq LIMIT @Take
        """;

    private const string InsertAssessmentSql = """
        INSERT INTO rights.security_assessments (id, product_id, reference, valid_until, recorded_by, recorded_at)
        VALUES (@Id, @ProductId, @Reference, @ValidUntil, @RecordedBy, @RecordedAt)
        """;

    private const string AssessmentsSql = """
        SELECT id, product_id, reference, valid_until, recorded_by, recorded_at FROM rights.security_assessments WHERE product_id = @ProductId ORDER BY seq
        """;

    public static void MapAccess(this RouteGroupBuilder api)
    {
        api.MapGet("/access/explain", Explain).RequireAuthorization(Roles.AnyParticipant).WithName("ExplainAccess")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        // Requests wait for providers: a buyer has none to list and is refused, not answered an empty list.
        api.MapGet("/access/requests", List).RequireAuthorization(policy => policy.RequireRole(Roles.Provider, Roles.Operator)).WithName("ListAccessRequests")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        var provider = api.MapGroup("/access/requests/{orderId:guid}").RequireAuthorization(Roles.Provider)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        provider.MapPost("/approve", Approve).WithName("ApproveAccessRequest");
        provider.MapPost("/refuse", Refuse).WithName("RefuseAccessRequest").ProducesValidationProblem();
        api.MapPost("/products/{productId:guid}/security-assessments", RecordAssessment).RequireAuthorization(Roles.Operator)
            .WithName("RecordSecurityAssessment").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/products/{productId:guid}/security-assessments", Assessments).RequireAuthorization(Roles.AnyParticipant)
            .WithName("ListSecurityAssessments").ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<Explanation>, ProblemHttpResult>> Explain(
        [AsParameters] ExplainQuery query, ClaimsPrincipal user, RightsDb db, TimeProvider time, CancellationToken ct)
    {
        var buyer = query.BuyerId ?? user.ParticipantId()!.Value;
        if (!user.MaySee(buyer))
        {
            return TypedResults.Problem("A buyer may ask about itself only.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }

        await using var uow = await db.ReadAsync(ct);
        var evaluation = await AccessRules.EvaluateAsync(uow, buyer, query.ProductId!.Value, query.Exclusive ?? false, time.GetUtcNow());
        return TypedResults.Ok(new Explanation(buyer, query.ProductId.Value, query.Exclusive ?? false, evaluation.Decision, evaluation.Reason, evaluation.Rules,
            evaluation.Decision == "rejected" ? null : evaluation.Certificate?.HolderList));
    }

    private static async Task<Ok<Page<AccessRequest>>> List([AsParameters] ListAccessRequestsQuery query, ClaimsPrincipal user, RightsDb db, CancellationToken ct)
    {
        Cursor.TryDecode(query.After, out var after);
        var take = query.Limit ?? Cursor.DefaultPageSize;
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<AccessRequest>(db.Sql(ListSqlServer, ListSqlite), new
        {
            After = after,
            Caller = user.IsOperator() ? null : user.ParticipantId(),
            Status = query.Status is null ? null : Enum.Parse<AccessRequestStatus>(query.Status, ignoreCase: true).ToString(),
            Take = take + 1,
        })).AsList();
        return TypedResults.Ok(Cursor.ToPage(rows, take, r => r.Seq, r => r));
    }

    private static Task<Results<Ok<AccessRequest>, ProblemHttpResult>> Approve(
        Guid orderId, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct) =>
        DecideAsync(orderId, "approve the request", user, committer, time, ct, async (uow, request, now) =>
        {
            var evaluation = await AccessRules.EvaluateAsync(uow, request.BuyerId, request.ProductId, request.Exclusive, now, orderId);
            if (evaluation.Decision == "rejected")
            {
                await AccessDecisions.CloseAsync(uow, orderId, AccessRequestStatus.Rejected, evaluation.Reason, user.ParticipantId(), now);
                await AccessDecisions.RejectAsync(uow, orderId, request.BuyerId, request.ProductId, evaluation.Reason!, evaluation.Message!, now);
            }
            else
            {
                await AccessDecisions.CloseAsync(uow, orderId, AccessRequestStatus.Approved, null, user.ParticipantId(), now);
                await AccessDecisions.ApproveAsync(uow, orderId, request.BuyerId, request.Exclusive, evaluation, now);
            }
        });

    private static Task<Results<Ok<AccessRequest>, ProblemHttpResult>> Refuse(
        Guid orderId, Reasoned body, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct) =>
        DecideAsync(orderId, "refuse the request", user, committer, time, ct, async (uow, request, now) =>
        {
            await AccessDecisions.CloseAsync(uow, orderId, AccessRequestStatus.Rejected, "provider-refused", user.ParticipantId(), now);
            await AccessDecisions.RejectAsync(uow, orderId, request.BuyerId, request.ProductId, "provider-refused", body.Reason!, now);
        });

    /// <summary>
    /// The provider's decision on a request waiting for it: anyone else's is the 404 a missing one is; one decided or past
    /// its deadline is 409 naming its state; else the decision's writes, and the request as it now stands.
    /// </summary>
    private static Task<Results<Ok<AccessRequest>, ProblemHttpResult>> DecideAsync(
        Guid orderId, string action, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct,
        Func<UnitOfWork, AccessRequest, DateTimeOffset, Task> decide) =>
        committer.RunAsync<Results<Ok<AccessRequest>, ProblemHttpResult>>(
            async uow =>
            {
                var request = await AccessDecisions.FindAsync(uow, orderId);
                if (request is null || request.ProviderId != user.ParticipantId())
                {
                    return Problems.NotFound("The access request");
                }

                var now = time.GetUtcNow();
                if (request.Status != AccessRequestStatus.AwaitingProvider || request.Deadline <= now)
                {
                    return Problems.IllegalTransition(action, request.Status == AccessRequestStatus.AwaitingProvider ? nameof(AccessRequestStatus.Lapsed) : request.Status.ToString());
                }

                await decide(uow, request, now);
                return TypedResults.Ok((await AccessDecisions.FindAsync(uow, orderId))!);
            },
            ct);

    private static async Task<Results<Created<SecurityAssessment>, ProblemHttpResult>> RecordAssessment(
        Guid productId, AssessmentRequest request, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct)
    {
        return await committer.RunAsync<Results<Created<SecurityAssessment>, ProblemHttpResult>>(
            async uow =>
            {
                if (await ProductDirectory.FindAsync(uow, productId) is null)
                {
                    return Problems.NotFound("The product");
                }

                var now = time.GetUtcNow();
                var assessment = new SecurityAssessment
                {
                    Id = Guid.CreateVersion7(now), ProductId = productId, Reference = request.Reference!, ValidUntil = request.ValidUntil!.Value.ToUniversalTime(),
                    RecordedBy = user.ParticipantId()!.Value, RecordedAt = now,
                };
                await uow.ExecuteAsync(InsertAssessmentSql, assessment);
                return TypedResults.Created($"/rights/products/{productId}/security-assessments", assessment);
            },
            ct);
    }

    private static async Task<Results<Ok<IReadOnlyList<SecurityAssessment>>, ProblemHttpResult>> Assessments(
        Guid productId, ClaimsPrincipal user, RightsDb db, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        var product = await ProductDirectory.FindAsync(uow, productId);
        return product is null || !user.MaySee(product.OwnerId)
            ? Problems.NotFound("The product")
            : TypedResults.Ok<IReadOnlyList<SecurityAssessment>>([.. await uow.QueryAsync<SecurityAssessment>(AssessmentsSql, new { ProductId = productId })]);
    }
}

public sealed record ExplainQuery(Guid? BuyerId, Guid? ProductId, bool? Exclusive);

public sealed record Explanation(
    Guid BuyerId, Guid ProductId, bool Exclusive, string Decision, string? Reason, IReadOnlyList<RuleOutcome> Rules,
    IReadOnlyList<Contracts.Rights.HolderShare>? Holders);

public sealed record ListAccessRequestsQuery(string? Status, string? After, int? Limit);

public sealed record AssessmentRequest(string? Reference, DateTimeOffset? ValidUntil);

public sealed record SecurityAssessment
{
    public Guid Id { get; init; }

    public Guid ProductId { get; init; }

    public string Reference { get; init; } = "";

    public DateTimeOffset ValidUntil { get; init; }

    public Guid RecordedBy { get; init; }

    public DateTimeOffset RecordedAt { get; init; }
}

internal sealed class ExplainQueryValidator : AbstractValidator<ExplainQuery>
{
    public ExplainQueryValidator() => RuleFor(q => q.ProductId).NotNull().NotEqual(Guid.Empty);
}

internal sealed class ListAccessRequestsQueryValidator : AbstractValidator<ListAccessRequestsQuery>
{
    public ListAccessRequestsQueryValidator()
    {
        RuleFor(q => q.Status).IsEnumName(typeof(AccessRequestStatus), caseSensitive: false);
        RuleFor(q => q.After).Must(a => Cursor.TryDecode(a, out _)).WithMessage("Not a cursor this list returned.");
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxPageSize);
    }
}

internal sealed class AssessmentRequestValidator : AbstractValidator<AssessmentRequest>
{
    public AssessmentRequestValidator()
    {
        RuleFor(a => a.Reference).NotEmpty().MaximumLength(200);
        RuleFor(a => a.ValidUntil).NotNull();
    }
}
