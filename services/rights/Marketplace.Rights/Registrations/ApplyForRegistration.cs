using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Marketplace.Rights.Participants;
using Marketplace.Rights.Products;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Rights.Registrations;

/// <summary>
/// <c>POST /rights/registrations</c> (provider): apply to register rights over one of the caller's listed products;
/// <c>PUT /rights/registrations/{id}</c> (its applicant): correct a returned application and submit it again.
/// Refused (422) with a reason: core data (never registered), evidence that does not match the listed product's
/// manifest fingerprint, a holder who is not an admitted, active participant. One live registration per product (409).
/// </summary>
internal static class ApplyForRegistration
{
    public static async Task<Results<Created<RegistrationResponse>, ProblemHttpResult>> Apply(
        RegistrationApplication application, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct)
    {
        var applicant = user.ParticipantId()!.Value;
        return await committer.RunAsync<Results<Created<RegistrationResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var product = await ProductDirectory.FindAsync(uow, application.ProductId!.Value);
                if (product is null || product.OwnerId != applicant)
                {
                    return Problems.NotFound("The listed product");
                }

                if (await CheckAsync(uow, product, application) is { } refusal)
                {
                    return refusal;
                }

                if (await RegistrationStore.HasLiveAsync(uow, product.Id))
                {
                    return Problems.Conflict("The product already has a registration under way or certified; change its holders instead.");
                }

                var now = time.GetUtcNow();
                var registration = new Registration
                {
                    Id = Guid.CreateVersion7(now),
                    ProductId = product.Id,
                    ApplicantId = applicant,
                    Status = RegistrationStatus.Submitted,
                    Version = 1,
                    CreatedAt = now,
                    UpdatedAt = now,
                }.WithContent(application);
                await RegistrationStore.InsertAsync(uow, registration);
                await RegistrationStore.RecordAsync(uow, registration, "submitted", null, applicant, now);
                return TypedResults.Created($"/rights/registrations/{registration.Id}", registration.ToResponse());
            },
            ct);
    }

    public static Task<Results<Ok<RegistrationResponse>, ProblemHttpResult>> Resubmit(
        Guid id, RegistrationApplication application, HttpContext http, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct) =>
        RegistrationChange.ApplyAsync(id, applicantOnly: true, async (uow, current, _) =>
        {
            if (current.Status != RegistrationStatus.Returned)
            {
                return RegistrationChange.Outcome.Refuse(Problems.IllegalTransition("resubmit the application", current.Status.ToString()));
            }

            if (application.ProductId != current.ProductId)
            {
                return RegistrationChange.Outcome.Refuse(Problems.Conflict("A resubmission is for the same product."));
            }

            var product = (await ProductDirectory.FindAsync(uow, current.ProductId))!;
            return await CheckAsync(uow, product, application) is { } refusal
                ? RegistrationChange.Outcome.Refuse(refusal)
                : new RegistrationChange.Outcome(current.WithContent(application) with { Status = RegistrationStatus.Submitted }, "resubmitted", null, null);
        }, http, user, committer, time, ct);

    private static Registration WithContent(this Registration r, RegistrationApplication a) => r with
    {
        Rights = Registration.RightsText(a.Rights!),
        Holders = RightsJson.Serialize(a.Holders!),
        ManifestSha256 = a.ManifestSha256!,
        SourceDescription = a.SourceDescription!,
        LawfulBasis = a.LawfulBasis!,
    };

    private static async Task<ProblemHttpResult?> CheckAsync(UnitOfWork uow, KnownProduct product, RegistrationApplication application)
    {
        if (product.Grade == DataGrade.Core)
        {
            return Unprocessable("core-data", "Core data is never registered or traded.");
        }

        if (product.ManifestSha256 != application.ManifestSha256)
        {
            return Unprocessable("evidence-mismatch", "The manifest fingerprint does not match the one of the listed product.");
        }

        var unknown = new List<Guid>();
        foreach (var holder in application.Holders!)
        {
            if (await ParticipantDirectory.FindAsync(uow, holder.HolderId) is not { Status: "Active" })
            {
                unknown.Add(holder.HolderId);
            }
        }

        return unknown.Count > 0
            ? Unprocessable("holder-not-admitted", $"Every holder must be an admitted, active participant: {string.Join(", ", unknown)}.")
            : null;
    }

    private static ProblemHttpResult Unprocessable(string reason, string detail) => TypedResults.Problem(
        detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Registration refused",
        extensions: new Dictionary<string, object?> { ["reason"] = reason });
}
