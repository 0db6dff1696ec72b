using System.Security.Claims;
using Dapper;
using FluentValidation;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Rights.Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Rights.Registrations;

/// <summary>
/// Reading registrations. What is in public notice or was certified is public to every admitted participant (that is
/// what 公示 means); an application before that is its applicant's and the operators' only.
/// <c>GET /rights/registrations/{id}</c>, <c>…/history</c>, <c>…/objections</c>, <c>…/certificates</c> (every version),
/// <c>GET /rights/registrations?status=&amp;productId=&amp;after=&amp;limit=</c>.
/// </summary>
internal static class ReadRegistrations
{
    private const string Public = "'InNotice', 'Certified', 'Revoked', 'Expired'";

    private const string Filter = $"""
        WHERE seq > @After
          AND (@Operator = 1 OR applicant_id = @Caller OR status IN ({Public}))
          AND (@Status IS NULL OR status = @Status)
          AND (@ProductId IS NULL OR product_id = @ProductId)
        ORDER BY seq
        """;

    private const string ListSqlServer = $"SELECT TOP (@Take) {RegistrationStore.Columns} FROM rights.registrations {Filter} OPTION (RECOMPILE)";

    private const string ListSqlite = $"SELECT {RegistrationStore.Columns} FROM rights.registrations {Filter} LIMIT @Take";

    private const string HistorySql = """
        SELECT version, action, reason, actor_id, occurred_at FROM rights.registration_history WHERE registration_id = @Id ORDER BY seq
        """;

    public static bool MaySee(ClaimsPrincipal user, Registration r) =>
        user.MaySee(r.ApplicantId) || r.Status is RegistrationStatus.InNotice or RegistrationStatus.Certified or RegistrationStatus.Revoked or RegistrationStatus.Expired;

    public static async Task<Results<Ok<RegistrationResponse>, ProblemHttpResult>> Get(Guid id, HttpContext http, ClaimsPrincipal user, RightsDb db, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        var registration = await RegistrationStore.FindAsync(uow, id);
        if (registration is null || !MaySee(user, registration))
        {
            return Problems.NotFound("The registration");
        }

        ETags.Set(http, registration.Version);
        return TypedResults.Ok(registration.ToResponse());
    }

    public static async Task<Results<Ok<IReadOnlyList<RegistrationEvent>>, ProblemHttpResult>> History(Guid id, ClaimsPrincipal user, RightsDb db, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        var registration = await RegistrationStore.FindAsync(uow, id);
        return registration is null || !MaySee(user, registration)
            ? Problems.NotFound("The registration")
            : TypedResults.Ok<IReadOnlyList<RegistrationEvent>>([.. await uow.QueryAsync<RegistrationEvent>(HistorySql, new { Id = id })]);
    }

    public static async Task<Results<Ok<IReadOnlyList<ObjectionResponse>>, ProblemHttpResult>> ListObjections(Guid id, ClaimsPrincipal user, RightsDb db, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        var registration = await RegistrationStore.FindAsync(uow, id);
        return registration is null || !MaySee(user, registration)
            ? Problems.NotFound("The registration")
            : TypedResults.Ok(await Objections.ListAsync(uow, id));
    }

    public static async Task<Results<Ok<IReadOnlyList<CertificateResponse>>, ProblemHttpResult>> Certificates(Guid id, ClaimsPrincipal user, RightsDb db, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        var registration = await RegistrationStore.FindAsync(uow, id);
        return registration is null || !MaySee(user, registration)
            ? Problems.NotFound("The registration")
            : TypedResults.Ok<IReadOnlyList<CertificateResponse>>([.. (await CertificateStore.ForRegistrationAsync(uow, id)).Select(c => c.ToResponse())]);
    }

    public static async Task<Ok<Page<RegistrationResponse>>> List([AsParameters] ListRegistrationsQuery query, ClaimsPrincipal user, RightsDb db, CancellationToken ct)
    {
        Cursor.TryDecode(query.After, out var after);
        var take = query.Limit ?? Cursor.DefaultPageSize;
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Registration>(db.Sql(ListSqlServer, ListSqlite), new
        {
            After = after,
            Operator = user.IsOperator() ? 1 : 0,
            Caller = user.ParticipantId(),
            Status = query.Status is null ? null : Enum.Parse<RegistrationStatus>(query.Status, ignoreCase: true).ToString(),
            query.ProductId,
            Take = take + 1,
        })).AsList();
        return TypedResults.Ok(Cursor.ToPage(rows, take, r => r.Seq, r => r.ToResponse()));
    }
}

public sealed record RegistrationEvent
{
    public int Version { get; init; }

    public string Action { get; init; } = "";

    public string? Reason { get; init; }

    public Guid? ActorId { get; init; }

    public DateTimeOffset OccurredAt { get; init; }
}

public sealed record ListRegistrationsQuery(string? Status, Guid? ProductId, string? After, int? Limit);

internal sealed class ListRegistrationsQueryValidator : AbstractValidator<ListRegistrationsQuery>
{
    public ListRegistrationsQueryValidator()
    {
        RuleFor(q => q.Status).IsEnumName(typeof(RegistrationStatus), caseSensitive: false);
        RuleFor(q => q.After).Must(a => Cursor.TryDecode(a, out _)).WithMessage("Not a cursor this list returned.");
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxPageSize);
    }
}
