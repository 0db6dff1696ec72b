using System.Security.Claims;
using FluentValidation;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Participants;

/// <summary><c>POST /catalog/participants</c> (operator): admits an organisation (参与主体准入).</summary>
internal static class AdmitParticipant
{
    private const string InsertSql = """
        INSERT INTO catalog.participants
            (id, name, jurisdiction, credit_code, region, registration_number, roles, qualification, status,
             status_reason, version, admitted_at, admitted_by, updated_at)
        VALUES
            (@Id, @Name, @Jurisdiction, @CreditCode, @Region, @RegistrationNumber, @Roles, @Qualification, @Status,
             NULL, @Version, @AdmittedAt, @AdmittedBy, @UpdatedAt)
        """;

    private const string ExistingSql = """
        SELECT id FROM catalog.participants
        WHERE credit_code = @CreditCode OR (region = @Region AND registration_number = @RegistrationNumber)
        """;

    public static async Task<Results<Created<ParticipantResponse>, ProblemHttpResult>> Handle(
        AdmitParticipantRequest request, ClaimsPrincipal user, GroupCommitter<CatalogDb> committer, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var roles = request.Roles!.Aggregate(ParticipantRoles.None, (all, r) => all | r);
        var participant = new Participant
        {
            Id = Guid.CreateVersion7(now),
            Name = request.Name!.Trim(),
            Jurisdiction = request.Jurisdiction!.Value,
            CreditCode = request.Jurisdiction == Jurisdiction.Mainland ? request.CreditCode : null,
            Region = request.Jurisdiction == Jurisdiction.Outside ? request.Region : null,
            RegistrationNumber = request.Jurisdiction == Jurisdiction.Outside ? request.RegistrationNumber!.Trim() : null,
            Roles = roles,
            Qualification = roles.HasFlag(ParticipantRoles.Buyer) ? request.Qualification : null,
            Status = ParticipantStatus.Active,
            Version = 1,
            AdmittedAt = now,
            AdmittedBy = user.ParticipantId()!.Value,
            UpdatedAt = now,
        };

        return await committer.RunAsync<Results<Created<ParticipantResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var existing = await uow.QuerySingleOrDefaultAsync<Guid?>(ExistingSql, participant);
                if (existing is { } id)
                {
                    return AlreadyAdmitted(id);
                }

                try
                {
                    await uow.ExecuteAsync(InsertSql, new
                    {
                        participant.Id,
                        participant.Name,
                        Jurisdiction = participant.Jurisdiction.ToString(),
                        participant.CreditCode,
                        participant.Region,
                        participant.RegistrationNumber,
                        Roles = (int)participant.Roles,
                        Qualification = participant.Qualification?.ToString(),
                        Status = participant.Status.ToString(),
                        participant.Version,
                        participant.AdmittedAt,
                        participant.AdmittedBy,
                        participant.UpdatedAt,
                    });
                }
                catch (Exception ex) when (DbErrors.IsUniqueViolation(ex))
                {
                    return uow.RollBack(AlreadyAdmitted(null));
                }

                await ParticipantStore.RecordAsync(uow, participant, "admitted", null, participant.AdmittedBy, now);
                await uow.PublishAsync(
                    new ParticipantAdmitted(
                        participant.Id,
                        participant.Name,
                        participant.Jurisdiction,
                        participant.RegistrationCode,
                        participant.Roles,
                        participant.Qualification,
                        participant.Version,
                        now),
                    now);
                return TypedResults.Created($"/catalog/participants/{participant.Id}", participant.ToResponse());
            },
            ct);
    }

    private static ProblemHttpResult AlreadyAdmitted(Guid? id) => TypedResults.Problem(
        "An organisation with this registration code is already admitted.",
        statusCode: StatusCodes.Status409Conflict,
        title: "Already admitted",
        extensions: id is null ? null : new Dictionary<string, object?> { ["participantId"] = id });
}

public sealed record AdmitParticipantRequest(
    string? Name,
    Jurisdiction? Jurisdiction,
    string? CreditCode,
    string? Region,
    string? RegistrationNumber,
    IReadOnlyList<ParticipantRoles>? Roles,
    QualificationLevel? Qualification);

internal sealed class AdmitParticipantRequestValidator : AbstractValidator<AdmitParticipantRequest>
{
    public AdmitParticipantRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Jurisdiction).NotNull().IsInEnum();
        When(r => r.Jurisdiction == Jurisdiction.Mainland, () =>
        {
            RuleFor(r => r.CreditCode).NotEmpty()
                .Must(CreditCode.IsValid)
                .WithMessage("Not a valid unified social credit code (18 characters, GB 32100-2015 check character).");
            RuleFor(r => r.Region).Null().WithMessage("Region is only for organisations registered outside the mainland.");
            RuleFor(r => r.RegistrationNumber).Null()
                .WithMessage("A mainland organisation is identified by its credit code, not a registration number.");
        });
        When(r => r.Jurisdiction == Jurisdiction.Outside, () =>
        {
            RuleFor(r => r.CreditCode).Null().WithMessage("A credit code is only issued to mainland organisations.");
            RuleFor(r => r.Region).NotEmpty().Matches("^[A-Z]{2}$")
                .WithMessage("Region must be an ISO 3166-1 alpha-2 code such as HK, MO, TW or SG.")
                .NotEqual("CN").WithMessage("CN is the mainland: use jurisdiction 'mainland' and a credit code.");
            RuleFor(r => r.RegistrationNumber).NotEmpty().MaximumLength(64);
        });
        RuleFor(r => r.Roles).NotEmpty()
            .Must(roles => roles is null || roles.Distinct().Count() == roles.Count).WithMessage("Roles must not repeat.");
        RuleForEach(r => r.Roles)
            .Must(r => r is ParticipantRoles.Provider or ParticipantRoles.Buyer)
            .WithMessage("Each role must be 'provider' or 'buyer'.");
        When(r => r.Roles?.Contains(ParticipantRoles.Buyer) == true, () =>
            RuleFor(r => r.Qualification).NotNull().IsInEnum()
                .WithMessage("A buyer needs a qualification level."));
        When(r => r.Roles?.Contains(ParticipantRoles.Buyer) != true, () =>
            RuleFor(r => r.Qualification).Null().WithMessage("Only buyers have a qualification level."));
    }
}
