using Marketplace.BuildingBlocks.Messaging;

namespace Marketplace.Settlement.Products;

/// <summary>
/// Keeps settlement's copy of the listed products: the owner (the seller of an order), category and grade (the daily
/// summary), status (only a listed product is ordered). Versioned like every read model:
/// an older or repeated event changes nothing; a change that overtakes the listing is retried until it is here.
/// </summary>
public sealed class RecordProductConsumer(Inbox<SettlementDb> inbox, TimeProvider time) : ListedProductConsumer<SettlementDb>(inbox, time, Statements)
{
    private const string UpsertListedSql = """
        UPDATE settlement.products SET category = @Category, grade = @Grade, status = 'Listed', version = @Version, updated_at = @Now
        WHERE id = @Id AND version < @Version;
        INSERT INTO settlement.products (id, owner_id, category, grade, status, version, updated_at)
        SELECT @Id, @OwnerId, @Category, @Grade, 'Listed', @Version, @Now
        WHERE NOT EXISTS (SELECT 1 FROM settlement.products WHERE id = @Id);
        """;

    private const string RevisedSql = """
        UPDATE settlement.products SET category = @Category, grade = @Grade, version = @Version, updated_at = @Now
        WHERE id = @Id AND version < @Version
        """;

    private const string StatusSql = """
        UPDATE settlement.products SET status = @Status, version = @Version, updated_at = @Now
        WHERE id = @Id AND version < @Version
        """;

    private const string ExistsSql = "SELECT COUNT(*) FROM settlement.products WHERE id = @Id";

    private static readonly ListedProductSql Statements = new(UpsertListedSql, RevisedSql, StatusSql, ExistsSql);
}
