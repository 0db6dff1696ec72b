using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Marketplace.Rights.Products;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Rights.Delivery.Api;

/// <summary>
/// <c>PUT /rights/products/{productId}/api-source</c> (its provider; <c>If-Match</c> honoured): the upstream the data
/// plane forwards licensed calls to — base URL, methods, path prefixes, the credential to inject (encrypted at rest,
/// never returned; leave it out to keep the one stored) and the header reporting records returned.
/// <c>GET</c> the same (its provider, operators), without the credential.
/// </summary>
internal static class ApiSourceEndpoints
{
    public static async Task<Results<Ok<ApiSourceResponse>, ProblemHttpResult>> Get(Guid productId, ClaimsPrincipal user, RightsDb db, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        var product = await ProductDirectory.FindAsync(uow, productId);
        var source = product is null || !user.MaySee(product.OwnerId) ? null : await ApiSources.FindAsync(uow, productId);
        return source is null ? Problems.NotFound("The API source") : TypedResults.Ok(source.ToResponse());
    }

    public static async Task<Results<Ok<ApiSourceResponse>, ProblemHttpResult>> Set(
        Guid productId, ApiSourceRequest request, HttpContext http, ClaimsPrincipal user, RightsDb db, GroupCommitter<RightsDb> committer, ApiSources sources,
        TimeProvider time, CancellationToken ct)
    {
        // The caller is checked first (a refused call must write nothing, and the first encryption writes the key ring);
        // then the credential is encrypted outside the unit of work, which must not hold the write lock the key ring waits on.
        await using (var read = await db.ReadAsync(ct))
        {
            if (await ProductDirectory.FindAsync(read, productId) is not { } owned || owned.OwnerId != user.ParticipantId())
            {
                return Problems.NotFound("The product");
            }
        }

        var protectedCredential = request.CredentialHeader is not null && request.Credential is { } plain ? sources.Protect(plain) : null;
        return await committer.RunAsync<Results<Ok<ApiSourceResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var product = await ProductDirectory.FindAsync(uow, productId);
                if (product is null || product.OwnerId != user.ParticipantId())
                {
                    return Problems.NotFound("The product");
                }

                if (!product.Delivers(DeliveryMethod.Api))
                {
                    return TypedResults.Problem($"The listing does not deliver by API (it offers {product.DeliveryMethods}).", statusCode: StatusCodes.Status422UnprocessableEntity,
                        title: "Not delivered by API", extensions: new Dictionary<string, object?> { ["reason"] = "method-not-offered" });
                }

                var current = await ApiSources.FindAsync(uow, productId);
                if (ETags.IfMatch(http.Request) is { } expected && expected != (current?.Version ?? 0))
                {
                    return Problems.VersionMismatch(current?.Version ?? 0);
                }

                if (request.CredentialHeader is not null && request.Credential is null && current?.Credential is null)
                {
                    return TypedResults.Problem("No credential is stored yet: send one with its header.", statusCode: StatusCodes.Status422UnprocessableEntity,
                        title: "Credential missing", extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["credential"] = ["Required the first time."] } });
                }

                var source = new ApiSource
                {
                    ProductId = productId,
                    BaseUrl = request.BaseUrl!,
                    Methods = string.Join(',', request.Methods!),
                    PathPrefixes = string.Join('\n', request.PathPrefixes!),
                    CredentialHeader = request.CredentialHeader,
                    Credential = request.CredentialHeader is null ? null : protectedCredential ?? current!.Credential,
                    RecordsHeader = request.RecordsHeader,
                    Version = (current?.Version ?? 0) + 1,
                    UpdatedBy = user.ParticipantId()!.Value,
                    UpdatedAt = time.GetUtcNow(),
                };
                if (!await ApiSources.SaveAsync(uow, source, current?.Version ?? 0))
                {
                    return Problems.Conflict("The API source changed meanwhile; read it again.");
                }

                ETags.Set(http, source.Version);
                return TypedResults.Ok(source.ToResponse());
            },
            ct);
    }
}
