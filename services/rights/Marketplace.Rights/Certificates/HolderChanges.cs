using System.Security.Claims;
using FluentValidation;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Rights;
using Marketplace.Rights.Participants;
using Marketplace.Rights.Registrations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Rights.Certificates;

/// <summary>
/// Change registration (变更登记) of holders or shares: the applicant asks
/// (<c>POST /rights/registrations/{id}/holder-changes</c>, a certified registration, holders admitted and active);
/// an operator approves (<c>POST /rights/holder-changes/{id}/approve</c>: a new certificate version with the new
/// holders and the same term; the old one is superseded) or refuses (<c>…/refuse</c>), with reasons.
/// </summary>
internal static class HolderChanges
{
    private const string Columns = "id, registration_id, holders, reason, status, requested_by, decided_by, decision, requested_at, decided_at";

    private const string InsertSql = """
        INSERT INTO rights.holder_changes (id, registration_id, holders, reason, status, requested_by, requested_at)
        VALUES (@Id, @RegistrationId, @Holders, @Reason, 'Pending', @RequestedBy, @Now)
        """;

    private const string FindSql = $"SELECT {Columns} FROM rights.holder_changes WHERE id = @Id";

    private const string DecideSql = """
        UPDATE rights.holder_changes SET status = @Status, decided_by = @DecidedBy, decision = @Decision, decided_at = @Now
        WHERE id = @Id AND status = 'Pending'
        """;

    public static async Task<Results<Created<HolderChangeResponse>, ProblemHttpResult>> Request(
        Guid id, HolderChangeRequest request, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct)
    {
        var applicant = user.ParticipantId()!.Value;
        return await committer.RunAsync<Results<Created<HolderChangeResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var registration = await RegistrationStore.FindAsync(uow, id);
                if (registration is null || registration.ApplicantId != applicant)
                {
                    return Problems.NotFound("The registration");
                }

                if (registration.Status != RegistrationStatus.Certified)
                {
                    return Problems.IllegalTransition("change the holders", registration.Status.ToString());
                }

                foreach (var holder in request.Holders!)
                {
                    if (await ParticipantDirectory.FindAsync(uow, holder.HolderId) is not { Status: "Active" })
                    {
                        return TypedResults.Problem($"Holder {holder.HolderId} is not an admitted, active participant.", statusCode: StatusCodes.Status422UnprocessableEntity,
                            title: "Change refused", extensions: new Dictionary<string, object?> { ["reason"] = "holder-not-admitted" });
                    }
                }

                var now = time.GetUtcNow();
                var change = new HolderChangeResponse(Guid.CreateVersion7(now), id, request.Holders!, request.Reason!, "Pending", applicant, null, null, now, null);
                await uow.ExecuteAsync(InsertSql, new { change.Id, RegistrationId = id, Holders = RightsJson.Serialize(change.Holders), change.Reason, RequestedBy = applicant, Now = now });
                await RegistrationStore.RecordAsync(uow, registration, "holder-change-requested", change.Id.ToString(), applicant, now);
                return TypedResults.Created($"/rights/holder-changes/{change.Id}", change);
            },
            ct);
    }

    public static Task<Results<Ok<HolderChangeResponse>, ProblemHttpResult>> Approve(
        Guid id, Reasoned decision, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, CertificateIssuer issuer, TimeProvider time, CancellationToken ct) =>
        Decide(id, approve: true, decision, user, committer, issuer, time, ct);

    public static Task<Results<Ok<HolderChangeResponse>, ProblemHttpResult>> Refuse(
        Guid id, Reasoned decision, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, CertificateIssuer issuer, TimeProvider time, CancellationToken ct) =>
        Decide(id, approve: false, decision, user, committer, issuer, time, ct);

    private static async Task<Results<Ok<HolderChangeResponse>, ProblemHttpResult>> Decide(
        Guid id, bool approve, Reasoned decision, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, CertificateIssuer issuer, TimeProvider time, CancellationToken ct)
    {
        return await committer.RunAsync<Results<Ok<HolderChangeResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var change = await uow.QuerySingleOrDefaultAsync<Row>(FindSql, new { Id = id });
                if (change is null)
                {
                    return Problems.NotFound("The holder change");
                }

                var now = time.GetUtcNow();
                var status = approve ? "Approved" : "Refused";
                if (await uow.ExecuteAsync(DecideSql, new { Id = id, Status = status, DecidedBy = user.ParticipantId(), Decision = decision.Reason, Now = now }) == 0)
                {
                    return Problems.IllegalTransition("decide the holder change", change.Status);
                }

                var registration = (await RegistrationStore.FindAsync(uow, change.RegistrationId))!;
                if (approve)
                {
                    var current = await CertificateStore.CurrentAsync(uow, registration.Id);
                    if (registration.Status != RegistrationStatus.Certified || current is null || current.ValidUntil <= now)
                    {
                        return uow.RollBack(Problems.IllegalTransition("approve the holder change", registration.Status.ToString()));
                    }

                    var holders = RightsJson.Deserialize<List<HolderShare>>(change.Holders);
                    var changed = registration with { Holders = change.Holders, Version = registration.Version + 1, UpdatedAt = now };
                    if (!await RegistrationStore.UpdateAsync(uow, changed, registration.Version))
                    {
                        return uow.RollBack(Problems.VersionMismatch(registration.Version));
                    }

                    var certificate = await issuer.IssueAsync(uow, changed, holders, now, current.ValidUntil, now);
                    await RegistrationStore.RecordAsync(uow, changed, "holders-changed", certificate.Number, user.ParticipantId(), now);
                }
                else
                {
                    await RegistrationStore.RecordAsync(uow, registration, "holder-change-refused", decision.Reason, user.ParticipantId(), now);
                }

                return TypedResults.Ok(new HolderChangeResponse(
                    id, change.RegistrationId, RightsJson.Deserialize<List<HolderShare>>(change.Holders), change.Reason, status, change.RequestedBy,
                    user.ParticipantId(), decision.Reason, change.RequestedAt, now));
            },
            ct);
    }

    private sealed record Row
    {
        public Guid Id { get; init; }

        public Guid RegistrationId { get; init; }

        public string Holders { get; init; } = "";

        public string Reason { get; init; } = "";

        public string Status { get; init; } = "";

        public Guid RequestedBy { get; init; }

        public DateTimeOffset RequestedAt { get; init; }
    }
}

public sealed record HolderChangeRequest(IReadOnlyList<HolderShare>? Holders, string? Reason);

public sealed record HolderChangeResponse(
    Guid Id, Guid RegistrationId, IReadOnlyList<HolderShare> Holders, string Reason, string Status, Guid RequestedBy, Guid? DecidedBy,
    string? Decision, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt);

internal sealed class HolderChangeRequestValidator : AbstractValidator<HolderChangeRequest>
{
    public HolderChangeRequestValidator()
    {
        RuleFor(r => r.Holders).NotEmpty().SetValidator(new HoldersValidator()!);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
    }
}
