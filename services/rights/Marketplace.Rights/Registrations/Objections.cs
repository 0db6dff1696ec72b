using System.Security.Claims;
using Dapper;
using FluentValidation;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Rights.Participants;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Rights.Registrations;

/// <summary>
/// Objections (异议) during public notice: <c>POST /rights/registrations/{id}/objections</c> by any admitted, active
/// participant other than the applicant, with grounds; <c>POST /rights/objections/{id}/ruling</c> by an operator —
/// upheld refuses the registration (and closes its other objections), dismissed lets the notice run on. A
/// certificate is not issued while an objection waits for its ruling. <c>GET /rights/registrations/{id}/objections</c>
/// lists them for whoever may see the registration.
/// </summary>
internal static class Objections
{
    private const string Columns = "seq, id, registration_id, objector_id, grounds, status, ruling, ruled_by, filed_at, ruled_at";

    private const string InsertSql = """
        INSERT INTO rights.objections (id, registration_id, objector_id, grounds, status, filed_at)
        VALUES (@Id, @RegistrationId, @ObjectorId, @Grounds, 'Pending', @Now)
        """;

    private const string FindSql = $"SELECT {Columns} FROM rights.objections WHERE id = @Id";

    private const string ListSql = $"SELECT {Columns} FROM rights.objections WHERE registration_id = @RegistrationId ORDER BY seq";

    private const string RuleSql = """
        UPDATE rights.objections SET status = @Status, ruling = @Ruling, ruled_by = @RuledBy, ruled_at = @Now WHERE id = @Id AND status = 'Pending'
        """;

    private const string CloseOthersSql = """
        UPDATE rights.objections SET status = 'Closed', ruling = @Ruling, ruled_by = @RuledBy, ruled_at = @Now
        WHERE registration_id = @RegistrationId AND status = 'Pending'
        """;

    public static async Task<Results<Created<ObjectionResponse>, ProblemHttpResult>> File(
        Guid id, ObjectionRequest request, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct)
    {
        var objector = user.ParticipantId()!.Value;
        return await committer.RunAsync<Results<Created<ObjectionResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var registration = await RegistrationStore.FindAsync(uow, id);
                if (registration is null)
                {
                    return Problems.NotFound("The registration");
                }

                if (registration.Status != RegistrationStatus.InNotice)
                {
                    return Problems.IllegalTransition("object", registration.Status.ToString());
                }

                if (registration.ApplicantId == objector || await ParticipantDirectory.FindAsync(uow, objector) is not { Status: "Active" })
                {
                    return TypedResults.Problem("Only another admitted, active participant may object.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
                }

                var now = time.GetUtcNow();
                var objection = new ObjectionResponse(Guid.CreateVersion7(now), id, objector, request.Grounds!, ObjectionStatus.Pending, null, null, now, null);
                await uow.ExecuteAsync(InsertSql, new { objection.Id, RegistrationId = id, ObjectorId = objector, objection.Grounds, Now = now });
                await RegistrationStore.RecordAsync(uow, registration, "objection-filed", objection.Id.ToString(), objector, now);
                return TypedResults.Created($"/rights/objections/{objection.Id}", objection);
            },
            ct);
    }

    public static async Task<Results<Ok<ObjectionResponse>, ProblemHttpResult>> Rule(
        Guid id, ObjectionRuling ruling, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct)
    {
        var op = user.ParticipantId()!.Value;
        return await committer.RunAsync<Results<Ok<ObjectionResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var objection = await uow.QuerySingleOrDefaultAsync<Objection>(FindSql, new { Id = id });
                if (objection is null)
                {
                    return Problems.NotFound("The objection");
                }

                if (objection.Status != ObjectionStatus.Pending)
                {
                    return Problems.IllegalTransition("rule on the objection", objection.Status.ToString());
                }

                var now = time.GetUtcNow();
                var upheld = ruling.Upheld!.Value;
                await uow.ExecuteAsync(RuleSql, new
                {
                    Id = id, Status = (upheld ? ObjectionStatus.Upheld : ObjectionStatus.Dismissed).ToString(), Ruling = ruling.Reason, RuledBy = op, Now = now,
                });
                var registration = (await RegistrationStore.FindAsync(uow, objection.RegistrationId))!;
                if (upheld)
                {
                    var refused = registration with { Status = RegistrationStatus.Refused, Version = registration.Version + 1, UpdatedAt = now };
                    if (!await RegistrationStore.UpdateAsync(uow, refused, registration.Version))
                    {
                        return uow.RollBack(Problems.VersionMismatch(registration.Version));
                    }

                    await uow.ExecuteAsync(CloseOthersSql, new { RegistrationId = registration.Id, Ruling = "Closed: another objection was upheld.", RuledBy = op, Now = now });
                    await RegistrationStore.RecordAsync(uow, refused, "objection-upheld", ruling.Reason, op, now);
                }
                else
                {
                    await RegistrationStore.RecordAsync(uow, registration, "objection-dismissed", ruling.Reason, op, now);
                }

                return TypedResults.Ok((objection with { Status = upheld ? ObjectionStatus.Upheld : ObjectionStatus.Dismissed, Ruling = ruling.Reason, RuledBy = op, RuledAt = now }).ToResponse());
            },
            ct);
    }

    public static async Task<IReadOnlyList<ObjectionResponse>> ListAsync(UnitOfWork uow, Guid registrationId) =>
        [.. (await uow.QueryAsync<Objection>(ListSql, new { RegistrationId = registrationId })).Select(o => o.ToResponse())];

    public static async Task<bool> AnyPendingAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, Guid registrationId) =>
        await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM rights.objections WHERE registration_id = @Id AND status = 'Pending'", new { Id = registrationId }, transaction) > 0;
}

public enum ObjectionStatus
{
    Pending,
    Upheld,
    Dismissed,
    Closed,
}

public sealed record ObjectionRequest(string? Grounds);

public sealed record ObjectionRuling(bool? Upheld, string? Reason);

public sealed record ObjectionResponse(
    Guid Id, Guid RegistrationId, Guid ObjectorId, string Grounds, ObjectionStatus Status, string? Ruling, Guid? RuledBy, DateTimeOffset FiledAt, DateTimeOffset? RuledAt);

internal sealed record Objection
{
    public Guid Id { get; init; }

    public Guid RegistrationId { get; init; }

    public Guid ObjectorId { get; init; }

    public string Grounds { get; init; } = "";

    public ObjectionStatus Status { get; init; }

    public string? Ruling { get; init; }

    public Guid? RuledBy { get; init; }

    public DateTimeOffset FiledAt { get; init; }

    public DateTimeOffset? RuledAt { get; init; }

    public ObjectionResponse ToResponse() => new(Id, RegistrationId, ObjectorId, Grounds, Status, Ruling, RuledBy, FiledAt, RuledAt);
}

internal sealed class ObjectionRequestValidator : AbstractValidator<ObjectionRequest>
{
    public ObjectionRequestValidator() => RuleFor(o => o.Grounds).NotEmpty().MaximumLength(2000);
}

internal sealed class ObjectionRulingValidator : AbstractValidator<ObjectionRuling>
{
    public ObjectionRulingValidator()
    {
        RuleFor(r => r.Upheld).NotNull();
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
    }
}
