using System.Security.Claims;
using FluentValidation;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.BuildingBlocks.Signing;
using Marketplace.Contracts.Rights;
using Marketplace.Rights.Registrations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Rights.Certificates;

/// <summary>
/// Certificates: <c>GET /rights/certificates/{number}</c> (any participant); <c>GET …/{number}/verification</c> and
/// <c>GET /rights/certificates/keys</c> (anyone, no token: a certificate is proof to third parties too);
/// <c>POST …/{number}/revoke</c> (operator, with reasons); <c>POST …/{number}/renew</c> (the applicant, in the last
/// <see cref="RenewalWindowDays"/> days of the term: a new version running one more term).
/// </summary>
internal static class CertificateEndpoints
{
    public const int RenewalWindowDays = 90;

    public static void MapCertificates(this RouteGroupBuilder api)
    {
        var certificates = api.MapGroup("/certificates");
        certificates.MapVerificationKeys<RightsDb>("/keys").WithName("GetCertificateKeys");
        certificates.MapGet("/{number}/verification", Verify).AllowAnonymous().WithName("VerifyCertificate").ProducesProblem(StatusCodes.Status404NotFound);
        certificates.MapGet("/{number}", Get).RequireAuthorization(Roles.AnyParticipant).WithName("GetCertificate").ProducesProblem(StatusCodes.Status404NotFound);
        certificates.MapPost("/{number}/revoke", Revoke).RequireAuthorization(Roles.Operator).WithName("RevokeCertificate")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        certificates.MapPost("/{number}/renew", Renew).RequireAuthorization(Roles.Provider).WithName("RenewCertificate")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Ok<CertificateResponse>, ProblemHttpResult>> Get(string number, RightsDb db, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        return await CertificateStore.FindAsync(uow, number) is { } c ? TypedResults.Ok(c.ToResponse()) : Problems.NotFound("The certificate");
    }

    /// <summary>Rebuilds the signed payload from the stored fields and checks the signature: tampering shows as <c>signatureValid: false</c>.</summary>
    private static async Task<Results<Ok<Verification>, ProblemHttpResult>> Verify(
        string number, RightsDb db, ExchangeSigner<RightsDb> signer, TimeProvider time, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        if (await CertificateStore.FindAsync(uow, number) is not { } c)
        {
            return Problems.NotFound("The certificate");
        }

        var payload = CertificatePayload.Build(c.Fields);
        var digest = CertificatePayload.Digest(payload);
        var signatureValid = digest == c.Digest && await signer.VerifyAsync(uow, c.KeyId, payload, c.Signature);
        var inForce = signatureValid && c.Status == CertificateStatus.Active && c.ValidUntil > time.GetUtcNow();
        return TypedResults.Ok(new Verification(number, signatureValid, inForce, c.Status, payload, digest, c.Signature, c.KeyId, c.ToResponse()));
    }

    private static async Task<Results<Ok<CertificateResponse>, ProblemHttpResult>> Revoke(
        string number, Reasoned revocation, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct)
    {
        return await committer.RunAsync<Results<Ok<CertificateResponse>, ProblemHttpResult>>(
            async uow =>
            {
                if (await CertificateStore.FindAsync(uow, number) is not { } c)
                {
                    return Problems.NotFound("The certificate");
                }

                var now = time.GetUtcNow();
                if (!await CertificateStore.SetStatusAsync(uow, number, CertificateStatus.Revoked, revocation.Reason, now))
                {
                    return Problems.IllegalTransition("revoke the certificate", c.Status.ToString());
                }

                var registration = (await RegistrationStore.FindAsync(uow, c.RegistrationId))!;
                var revoked = registration with { Status = RegistrationStatus.Revoked, Version = registration.Version + 1, UpdatedAt = now };
                await RegistrationStore.UpdateAsync(uow, revoked, registration.Version);
                await RegistrationStore.RecordAsync(uow, revoked, "certificate-revoked", revocation.Reason, user.ParticipantId(), now);
                await uow.PublishAsync(new RightsRevoked(number, c.RegistrationId, c.ProductId, revocation.Reason!, now), now);
                var after = (await CertificateStore.FindAsync(uow, number))!;
                return TypedResults.Ok(after.ToResponse());
            },
            ct);
    }

    private static async Task<Results<Ok<CertificateResponse>, ProblemHttpResult>> Renew(
        string number, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, CertificateIssuer issuer, TimeProvider time, CancellationToken ct)
    {
        return await committer.RunAsync<Results<Ok<CertificateResponse>, ProblemHttpResult>>(
            async uow =>
            {
                if (await CertificateStore.FindAsync(uow, number) is not { } c || c.ApplicantId != user.ParticipantId())
                {
                    return Problems.NotFound("The certificate");
                }

                var now = time.GetUtcNow();
                if (c.Status != CertificateStatus.Active || c.ValidUntil <= now)
                {
                    return Problems.IllegalTransition("renew the certificate", c.ValidUntil <= now ? "Expired" : c.Status.ToString());
                }

                if (c.ValidUntil - now > TimeSpan.FromDays(RenewalWindowDays))
                {
                    return Problems.Conflict($"A certificate is renewed in the last {RenewalWindowDays} days of its term; this one runs until {c.ValidUntil:yyyy-MM-dd}.");
                }

                var registration = (await RegistrationStore.FindAsync(uow, c.RegistrationId))!;
                var renewed = await issuer.IssueAsync(uow, registration, c.HolderList, now, c.ValidUntil.AddYears(issuer.TermYears), now);
                await RegistrationStore.RecordAsync(uow, registration, "renewed", renewed.Number, user.ParticipantId(), now);
                return TypedResults.Ok(renewed.ToResponse());
            },
            ct);
    }
}

/// <summary>The answer of the public verification: the exact payload signed, so anyone can check it offline too.</summary>
public sealed record Verification(
    string Number, bool SignatureValid, bool InForce, CertificateStatus Status, string Payload, string Digest, string Signature, string KeyId,
    CertificateResponse Certificate);

/// <summary>A decision's body: the reason, always required.</summary>
public sealed record Reasoned(string? Reason);

internal sealed class ReasonedValidator : AbstractValidator<Reasoned>
{
    public ReasonedValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
}
