using Dapper;
using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Catalog.Products;

/// <summary>The product statements more than one endpoint uses.</summary>
internal static class ProductStore
{
    public const string Columns = """
        p.seq, p.id, p.owner_id, p.listing, p.listed_revision, p.pending_revision, p.pending_state, p.status_reason, p.pending_review,
        p.version, p.created_at, p.updated_at, l.content AS listed_content, d.content AS pending_content
        """;

    public const string From = """
        FROM catalog.products p
        LEFT JOIN catalog.product_revisions l ON l.product_id = p.id AND l.revision = p.listed_revision
        LEFT JOIN catalog.product_revisions d ON d.product_id = p.id AND d.revision = p.pending_revision
        """;

    private const string FindSql = $"""
        SELECT {Columns}
        {From}
        WHERE p.id = @Id
        """;

    private const string InsertProductSql = """
        INSERT INTO catalog.products
            (id, owner_id, listing, listed_revision, pending_revision, pending_state, status_reason, version, created_at, updated_at)
        VALUES (@Id, @OwnerId, @Listing, NULL, 1, @PendingState, NULL, 1, @CreatedAt, @UpdatedAt)
        """;

    private const string UpdateProductSql = """
        UPDATE catalog.products
        SET listing = @Listing, listed_revision = @ListedRevision, pending_revision = @PendingRevision,
            pending_state = @PendingState, status_reason = @StatusReason, pending_review = @PendingReview, version = @Version,
            updated_at = @UpdatedAt
        WHERE id = @Id AND version = @PreviousVersion
        """;

    private const string InsertRevisionSql = """
        INSERT INTO catalog.product_revisions (product_id, revision, content, created_at, updated_at)
        VALUES (@ProductId, @Revision, @Content, @Now, @Now)
        """;

    private const string UpdateRevisionSql = """
        UPDATE catalog.product_revisions SET content = @Content, updated_at = @Now
        WHERE product_id = @ProductId AND revision = @Revision
        """;

    private const string InsertHistorySql = """
        INSERT INTO catalog.product_history (product_id, version, action, revision, detail, actor_id, occurred_at)
        VALUES (@ProductId, @Version, @Action, @Revision, @Detail, @ActorId, @OccurredAt)
        """;

    public static Task<Product?> FindAsync(UnitOfWork uow, Guid id) => uow.QuerySingleOrDefaultAsync<Product>(FindSql, new { Id = id });

    public static async Task<Product?> FindAsync(CatalogDb db, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Product>(FindSql, new { Id = id });
    }

    public static async Task InsertAsync(UnitOfWork uow, Product product, ProductContent content)
    {
        await uow.ExecuteAsync(InsertProductSql, new
        {
            product.Id,
            product.OwnerId,
            Listing = product.Listing.ToString(),
            PendingState = product.PendingState.ToString(),
            product.CreatedAt,
            product.UpdatedAt,
        });
        await uow.ExecuteAsync(InsertRevisionSql, new { ProductId = product.Id, Revision = 1, Content = content.ToJson(), Now = product.CreatedAt });
    }

    /// <summary>Writes the product's new state if nobody changed it since <paramref name="previousVersion"/>.</summary>
    public static async Task<bool> UpdateAsync(UnitOfWork uow, Product product, int previousVersion) =>
        await uow.ExecuteAsync(UpdateProductSql, new
        {
            product.Id,
            Listing = product.Listing.ToString(),
            product.ListedRevision,
            product.PendingRevision,
            PendingState = product.PendingState?.ToString(),
            product.StatusReason,
            product.PendingReview,
            product.Version,
            product.UpdatedAt,
            PreviousVersion = previousVersion,
        }) == 1;

    /// <summary>Saves a draft's content: a new revision, or over the pending draft.</summary>
    public static Task SaveDraftAsync(UnitOfWork uow, Guid productId, int revision, bool isNew, ProductContent content, DateTimeOffset now) =>
        uow.ExecuteAsync(isNew ? InsertRevisionSql : UpdateRevisionSql, new { ProductId = productId, Revision = revision, Content = content.ToJson(), Now = now });

    public static Task RecordAsync(UnitOfWork uow, Product product, string action, int? revision, string? detail, Guid actor, DateTimeOffset at) =>
        uow.ExecuteAsync(InsertHistorySql, new
        {
            ProductId = product.Id,
            product.Version,
            Action = action,
            Revision = revision,
            Detail = detail,
            ActorId = actor,
            OccurredAt = at,
        });
}
