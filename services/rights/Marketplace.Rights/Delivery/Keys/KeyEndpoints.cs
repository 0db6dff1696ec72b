using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Marketplace.Rights.Licences;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Marketplace.Rights.Delivery.Keys;

/// <summary>
/// A licensee's API keys: <c>POST /rights/licences/{id}/keys</c> makes one (shown once; at most
/// <c>Rights:Delivery:MaxKeysPerLicence</c> in force at a time; only while the licence may be delivered by API),
/// <c>GET …/keys</c> lists them (the licensee, operators), <c>POST …/keys/{keyId}/rotate</c> makes a new one and revokes
/// the old in one step, <c>POST …/keys/{keyId}/revoke</c> (the licensee, operators) stops one at once.
/// </summary>
internal static class KeyEndpoints
{
    public static async Task<Results<Created<ApiKeyResponse>, ProblemHttpResult>> Create(
        Guid id, ClaimsPrincipal user, DeliveryGate gate, GroupCommitter<RightsDb> committer, IOptions<DeliverySettings> options, TimeProvider time,
        CancellationToken ct)
    {
        var decision = await gate.CheckAsync(id, DeliveryMethod.Api, ct);
        if (decision is null || decision.Licence.LicenseeId != user.ParticipantId())
        {
            return Problems.NotFound("The licence");
        }

        if (decision.Refusal is { } refusal)
        {
            return refusal.ToProblem();
        }

        return await committer.RunAsync<Results<Created<ApiKeyResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var now = time.GetUtcNow();
                var max = options.Value.MaxKeysPerLicence;
                if (await ApiKeys.CountActiveAsync(uow, id, now) >= max)
                {
                    return TypedResults.Problem($"A licence has at most {max} keys in force; revoke or rotate one.", statusCode: StatusCodes.Status409Conflict,
                        title: "Too many keys", extensions: new Dictionary<string, object?> { ["reason"] = "too-many-keys", ["limit"] = max });
                }

                var (row, key) = await ApiKeys.CreateAsync(uow, id, decision.Licence.EndsAt, now);
                return TypedResults.Created($"/rights/licences/{id}/keys/{row.Id}", row.ToResponse(key));
            },
            ct);
    }

    public static async Task<Results<Ok<IReadOnlyList<ApiKeyResponse>>, ProblemHttpResult>> List(Guid id, ClaimsPrincipal user, RightsDb db, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        var licence = await LicenceStore.FindAsync(uow, id);
        if (licence is null || !user.MaySee(licence.LicenseeId))
        {
            return Problems.NotFound("The licence");
        }

        return TypedResults.Ok<IReadOnlyList<ApiKeyResponse>>([.. (await ApiKeys.ListAsync(uow, id)).Select(k => k.ToResponse())]);
    }

    public static Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> Revoke(
        Guid id, Guid keyId, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, ApiKeys keys, TimeProvider time, CancellationToken ct) =>
        committer.RunAsync<Results<Ok<ApiKeyResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var (key, problem) = await OwnKeyAsync(uow, id, keyId, user);
                if (problem is not null)
                {
                    return problem;
                }

                var now = time.GetUtcNow();
                if (!await ApiKeys.RevokeAsync(uow, keyId, user.ParticipantId()!.Value, now))
                {
                    return Problems.IllegalTransition("revoke the key", "Revoked");
                }

                keys.Forget(key!.Prefix);
                return TypedResults.Ok(key with { RevokedAt = now });
            },
            ct);

    public static async Task<Results<Created<ApiKeyResponse>, ProblemHttpResult>> Rotate(
        Guid id, Guid keyId, ClaimsPrincipal user, DeliveryGate gate, GroupCommitter<RightsDb> committer, ApiKeys keys, TimeProvider time, CancellationToken ct)
    {
        var decision = await gate.CheckAsync(id, DeliveryMethod.Api, ct);
        if (decision is { Refusal: { } refusal } && decision.Licence.LicenseeId == user.ParticipantId())
        {
            return refusal.ToProblem();
        }

        return await committer.RunAsync<Results<Created<ApiKeyResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var (key, problem) = await OwnKeyAsync(uow, id, keyId, user, licenseeOnly: true);
                if (problem is not null)
                {
                    return problem;
                }

                var now = time.GetUtcNow();
                if (!await ApiKeys.RevokeAsync(uow, keyId, user.ParticipantId()!.Value, now))
                {
                    return Problems.IllegalTransition("rotate the key", "Revoked");
                }

                keys.Forget(key!.Prefix);
                var (row, fresh) = await ApiKeys.CreateAsync(uow, id, key.ExpiresAt, now);
                return TypedResults.Created($"/rights/licences/{id}/keys/{row.Id}", row.ToResponse(fresh));
            },
            ct);
    }

    private static async Task<(ApiKeyResponse? Key, ProblemHttpResult? Problem)> OwnKeyAsync(
        UnitOfWork uow, Guid licenceId, Guid keyId, ClaimsPrincipal user, bool licenseeOnly = false)
    {
        var licence = await LicenceStore.FindAsync(uow, licenceId);
        var key = await ApiKeys.FindAsync(uow, keyId);
        var allowed = licence is not null && (licenseeOnly ? licence.LicenseeId == user.ParticipantId() : user.MaySee(licence.LicenseeId));
        return !allowed || key is null || key.LicenceId != licenceId ? (null, Problems.NotFound("The key")) : (key.ToResponse(), null);
    }
}
