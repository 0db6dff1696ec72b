using Marketplace.BuildingBlocks.Data;
using Marketplace.Contracts.Catalog;

namespace Marketplace.Rights.Products;

/// <summary>Reads rights' product read model.</summary>
public static class ProductDirectory
{
    private const string FindSql = """
        SELECT id, owner_id, category, subject, grade, requires_manual_approval, exclusive_allowed, manifest_sha256, delivery_methods, status, version
        FROM rights.products WHERE id = @Id
        """;

    /// <summary>Takes the product's row lock (a no-op update): decisions that must not interleave per product queue here.</summary>
    private const string LockSql = "UPDATE rights.products SET version = version WHERE id = @Id";

    public static Task<KnownProduct?> FindAsync(UnitOfWork uow, Guid id) => uow.QuerySingleOrDefaultAsync<KnownProduct>(FindSql, new { Id = id });

    public static async Task<KnownProduct?> LockAsync(UnitOfWork uow, Guid id)
    {
        await uow.ExecuteAsync(LockSql, new { Id = id });
        return await FindAsync(uow, id);
    }
}

public enum ProductStatus
{
    Listed,
    Suspended,
    Delisted,
}

public sealed record KnownProduct
{
    public Guid Id { get; init; }

    public Guid OwnerId { get; init; }

    public string Category { get; init; } = "";

    public DataSubject Subject { get; init; }

    public DataGrade Grade { get; init; }

    public bool RequiresManualApproval { get; init; }

    public bool ExclusiveAllowed { get; init; }

    public string ManifestSha256 { get; init; } = "";

    /// <summary>The listing's delivery methods, comma-separated names (<see cref="DeliveryMethod"/>); empty for a product listed before delivery was known here.</summary>
    public string DeliveryMethods { get; init; } = "";

    public ProductStatus Status { get; init; }

    public int Version { get; init; }

    public bool Delivers(DeliveryMethod method) => DeliveryMethods.Split(',').Contains(method.ToString());
}
