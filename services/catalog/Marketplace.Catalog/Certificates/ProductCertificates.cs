using System.Security.Claims;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Catalog.Products;
using Marketplace.Contracts.Rights;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Certificates;

/// <summary>
/// <c>GET /catalog/products/{id}/certificates</c>: the registration certificates in force over a product's data — the
/// rights each certifies and until when, by number, which anyone verifies with rights
/// (<c>GET /rights/certificates/{number}/verification</c>). Visible to whoever may see the product.
/// </summary>
internal static class ProductCertificates
{
    /// <summary>Whether any certificate over the product is in force: what search filters on.</summary>
    internal const string CertifiedSql = """
        SELECT CASE WHEN EXISTS (SELECT 1 FROM catalog.certificates WHERE product_id = @ProductId AND status = 'Active') THEN 1 ELSE 0 END
        """;

    internal const string SetCertifiedSql = $"UPDATE catalog.product_search SET certified = ({CertifiedSql}) WHERE product_id = @ProductId";

    private const string InForceSql = """
        SELECT number, registration_id, version, rights, valid_until FROM catalog.certificates
        WHERE product_id = @ProductId AND status = 'Active' ORDER BY number
        """;

    public static async Task<Results<Ok<IReadOnlyList<ProductCertificate>>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal user, CatalogDb db, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        var product = await ProductStore.FindAsync(uow, id);
        if (product is null || !(product.Listing == ListingState.Listed || user.MaySee(product.OwnerId)))
        {
            return Problems.NotFound("The product");
        }

        var rows = await uow.QueryAsync<Row>(InForceSql, new { ProductId = id });
        return TypedResults.Ok<IReadOnlyList<ProductCertificate>>([.. rows.Select(r => new ProductCertificate(
            r.Number, r.RegistrationId, r.Version, [.. r.Rights.Split(',').Select(Enum.Parse<RightKind>)], r.ValidUntil))]);
    }

    private sealed record Row
    {
        public string Number { get; init; } = "";

        public Guid RegistrationId { get; init; }

        public int Version { get; init; }

        public string Rights { get; init; } = "";

        public DateTimeOffset ValidUntil { get; init; }
    }
}

/// <summary>A certificate in force over a product: its number, the rights it certifies, until when.</summary>
public sealed record ProductCertificate(string Number, Guid RegistrationId, int Version, IReadOnlyList<RightKind> Rights, DateTimeOffset ValidUntil);
