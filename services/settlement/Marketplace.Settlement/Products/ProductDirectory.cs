using Marketplace.BuildingBlocks.Data;
using Marketplace.Contracts.Catalog;

namespace Marketplace.Settlement.Products;

/// <summary>Reads settlement's product read model.</summary>
public static class ProductDirectory
{
    private const string FindSql = "SELECT id, owner_id, category, grade, status, version FROM settlement.products WHERE id = @Id";

    public static Task<KnownProduct?> FindAsync(UnitOfWork uow, Guid id) =>
        uow.QuerySingleOrDefaultAsync<KnownProduct>(FindSql, new { Id = id });
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

    public DataGrade Grade { get; init; }

    public ProductStatus Status { get; init; }

    public int Version { get; init; }
}
