using System.Security.Claims;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Marketplace.Rights.Licences;
using Marketplace.Rights.Products;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Rights.Delivery.Files;

/// <summary>
/// <c>GET /rights/products/{productId}/files</c> (its provider, operators): the set delivered now — the files of the
/// manifest the listing names. <c>GET /rights/licences/{id}/files</c> (the licensee; the provider and operators see it
/// without links): the same set under a licence, checked by <see cref="DeliveryGate"/>, each file with a signed link
/// of minutes that works without a token.
/// </summary>
internal static class ReadFiles
{
    public static async Task<Results<Ok<DeliverySetResponse>, ProblemHttpResult>> ForProduct(Guid productId, ClaimsPrincipal user, RightsDb db, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        var product = await ProductDirectory.FindAsync(uow, productId);
        if (product is null || !user.MaySee(product.OwnerId))
        {
            return Problems.NotFound("The product");
        }

        var set = await DeliveryFiles.SetAsync(uow, productId, product.ManifestSha256);
        return TypedResults.Ok(Response(productId, product.ManifestSha256, set, _ => (null, null)));
    }

    public static async Task<Results<Ok<DeliverySetResponse>, ProblemHttpResult>> ForLicence(
        Guid id, ClaimsPrincipal user, RightsDb db, DeliveryGate gate, SignedLinks links, TimeProvider time, CancellationToken ct)
    {
        var decision = await gate.CheckAsync(id, DeliveryMethod.File, ct);
        if (decision is null || !(user.MaySee(decision.Licence.LicenseeId) || user.MaySee(decision.Licence.ProviderId)))
        {
            return Problems.NotFound("The licence");
        }

        if (decision.Refusal is { } refusal)
        {
            return refusal.ToProblem();
        }

        var product = decision.Product!;
        IReadOnlyList<DeliveryFile> set;
        await using (var uow = await db.ReadAsync(ct))
        {
            set = await DeliveryFiles.SetAsync(uow, product.Id, product.ManifestSha256);
        }

        if (set.Count == 0)
        {
            return TypedResults.Problem("The provider has not uploaded the files of the product's current manifest yet.", statusCode: StatusCodes.Status409Conflict,
                title: "Files not uploaded", extensions: new Dictionary<string, object?> { ["reason"] = "files-not-uploaded" });
        }

        var now = time.GetUtcNow();
        var licensee = user.ParticipantId() == decision.Licence.LicenseeId;
        return TypedResults.Ok(Response(product.Id, product.ManifestSha256, set, f =>
        {
            if (!licensee)
            {
                return (null, null);
            }

            var (url, expires) = links.Sign(id, f.Sha256, now);
            return (url, expires);
        }));
    }

    private static DeliverySetResponse Response(Guid productId, string manifestSha256, IReadOnlyList<DeliveryFile> set, Func<DeliveryFile, (string?, DateTimeOffset?)> link) =>
        new(productId, manifestSha256, FileManifest.Text(set.Select(f => (f.Name, f.Sha256))), [.. set.Select(f =>
        {
            var (url, expires) = link(f);
            return new DeliveryFileResponse(f.Name, f.Size, f.Sha256, url, expires);
        })]);
}
