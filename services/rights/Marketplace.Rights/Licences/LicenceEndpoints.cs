using System.Security.Claims;
using Dapper;
using FluentValidation;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Rights;
using Marketplace.Rights.Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Rights.Licences;

/// <summary>
/// <c>GET /rights/licences?productId=&amp;status=&amp;after=&amp;limit=</c> and <c>GET /rights/licences/{id}</c>: a buyer
/// sees the licences it holds, a provider those on its products, operators all. Operators
/// <c>POST /rights/licences/{id}/suspend</c>, <c>/reinstate</c> and <c>/revoke</c> (reasons required to suspend and
/// revoke); each change is published at once.
/// </summary>
internal static class LicenceEndpoints
{
    private const string Filter = """
        WHERE seq > @After
          AND (@Caller IS NULL OR licensee_id = @Caller OR provider_id = @Caller)
          AND (@ProductId IS NULL OR product_id = @ProductId)
          AND (@Status IS NULL OR status = @Status)
        ORDER BY seq
        """;

    private const string ListSqlServer = $"SELECT TOP (@Take) {LicenceStore.Columns} FROM rights.licences {Filter} OPTION (RECOMPILE)";

    private const string ListSqlite = $"SELECT {LicenceStore.Columns} FROM rights.licences {Filter} LIMIT @Take";

    public static void MapLicences(this RouteGroupBuilder api)
    {
        var licences = api.MapGroup("/licences");
        licences.MapGet("/", List).RequireAuthorization(Roles.AnyParticipant).WithName("ListLicences").ProducesValidationProblem();
        licences.MapGet("/{id:guid}", Get).RequireAuthorization(Roles.AnyParticipant).WithName("GetLicence").ProducesProblem(StatusCodes.Status404NotFound);
        var operators = licences.MapGroup("/{id:guid}").RequireAuthorization(Roles.Operator)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        operators.MapPost("/suspend", Suspend).WithName("SuspendLicence").ProducesValidationProblem();
        operators.MapPost("/reinstate", Reinstate).WithName("ReinstateLicence");
        operators.MapPost("/revoke", Revoke).WithName("RevokeLicence").ProducesValidationProblem();
    }

    private static async Task<Ok<Page<LicenceResponse>>> List([AsParameters] ListLicencesQuery query, ClaimsPrincipal user, RightsDb db, CancellationToken ct)
    {
        Cursor.TryDecode(query.After, out var after);
        var take = query.Limit ?? Cursor.DefaultPageSize;
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Licence>(db.Sql(ListSqlServer, ListSqlite), new
        {
            After = after,
            Caller = user.IsOperator() ? null : user.ParticipantId(),
            query.ProductId,
            Status = query.Status is null ? null : Enum.Parse<LicenceStatus>(query.Status, ignoreCase: true).ToString(),
            Take = take + 1,
        })).AsList();
        return TypedResults.Ok(Cursor.ToPage(rows, take, l => l.Seq, l => l.ToResponse()));
    }

    private static async Task<Results<Ok<LicenceResponse>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, RightsDb db, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        var licence = await LicenceStore.FindAsync(uow, id);
        return licence is null || !(user.MaySee(licence.LicenseeId) || user.MaySee(licence.ProviderId))
            ? Problems.NotFound("The licence")
            : TypedResults.Ok(licence.ToResponse());
    }

    private static Task<Results<Ok<LicenceResponse>, ProblemHttpResult>> Suspend(Guid id, Reasoned body, GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct) =>
        Change(id, LicenceStatus.Active, LicenceStatus.Suspended, body.Reason, "suspend the licence",
            (l, now) => new LicenceSuspended(l.Id, l.OrderId, l.LicenseeId, l.ProductId, body.Reason!, now), committer, time, ct);

    private static Task<Results<Ok<LicenceResponse>, ProblemHttpResult>> Reinstate(Guid id, GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct) =>
        Change(id, LicenceStatus.Suspended, LicenceStatus.Active, null, "reinstate the licence",
            (l, now) => new LicenceReinstated(l.Id, l.OrderId, l.LicenseeId, l.ProductId, now), committer, time, ct);

    private static Task<Results<Ok<LicenceResponse>, ProblemHttpResult>> Revoke(Guid id, Reasoned body, GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct) =>
        Change(id, null, LicenceStatus.Revoked, body.Reason, "revoke the licence",
            (l, now) => new LicenceRevoked(l.Id, l.OrderId, l.LicenseeId, l.ProductId, body.Reason!, now), committer, time, ct);

    /// <summary>One transition: from <paramref name="from"/> (null: Active or Suspended) to <paramref name="to"/>, with its event.</summary>
    private static async Task<Results<Ok<LicenceResponse>, ProblemHttpResult>> Change(
        Guid id, LicenceStatus? from, LicenceStatus to, string? reason, string action, Func<Licence, DateTimeOffset, object> evt,
        GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct)
    {
        return await committer.RunAsync<Results<Ok<LicenceResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var licence = await LicenceStore.FindAsync(uow, id);
                if (licence is null)
                {
                    return Problems.NotFound("The licence");
                }

                var allowed = from is { } f ? licence.Status == f : licence.Status is LicenceStatus.Active or LicenceStatus.Suspended;
                if (!allowed)
                {
                    return Problems.IllegalTransition(action, licence.Status.ToString());
                }

                var now = time.GetUtcNow();
                var changed = licence with { Status = to, StatusReason = reason, Version = licence.Version + 1, UpdatedAt = now };
                if (!await LicenceStore.UpdateAsync(uow, changed, licence.Version))
                {
                    return Problems.VersionMismatch(licence.Version);
                }

                await uow.PublishAsync(evt(changed, now), now);
                return TypedResults.Ok(changed.ToResponse());
            },
            ct);
    }
}

public sealed record ListLicencesQuery(Guid? ProductId, string? Status, string? After, int? Limit);

internal sealed class ListLicencesQueryValidator : AbstractValidator<ListLicencesQuery>
{
    public ListLicencesQueryValidator()
    {
        RuleFor(q => q.Status).IsEnumName(typeof(LicenceStatus), caseSensitive: false);
        RuleFor(q => q.After).Must(a => Cursor.TryDecode(a, out _)).WithMessage("Not a cursor this list returned.");
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxPageSize);
    }
}
