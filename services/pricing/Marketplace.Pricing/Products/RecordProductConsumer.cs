using Marketplace.BuildingBlocks.Messaging;

namespace Marketplace.Pricing.Products;

/// <summary>
/// Keeps pricing's copy of the listed products: owner (who may set plans and see valuations), category and grade (the
/// exchange's fee and the comparables), status (only a listed product is quoted). Versioned like every read model:
/// an older or repeated event changes nothing; a change that overtakes the listing is retried until it is here.
/// </summary>
public sealed class RecordProductConsumer(Inbox<PricingDb> inbox, TimeProvider time) : ListedProductConsumer<PricingDb>(inbox, time, Statements)
{
    private const string UpsertListedSql = """
        UPDATE pricing.products SET category = @Category, grade = @Grade, status = 'Listed', version = @Version, updated_at = @Now
        WHERE id = @Id AND version < @Version;
        INSERT INTO pricing.products (id, owner_id, category, grade, status, version, updated_at)
        SELECT @Id, @OwnerId, @Category, @Grade, 'Listed', @Version, @Now
        WHERE NOT EXISTS (SELECT 1 FROM pricing.products WHERE id = @Id);
        """;

    private const string RevisedSql = """
        UPDATE pricing.products SET category = @Category, grade = @Grade, version = @Version, updated_at = @Now
        WHERE id = @Id AND version < @Version
        """;

    private const string StatusSql = """
        UPDATE pricing.products SET status = @Status, version = @Version, updated_at = @Now
        WHERE id = @Id AND version < @Version
        """;

    private const string ExistsSql = "SELECT COUNT(*) FROM pricing.products WHERE id = @Id";

    private static readonly ListedProductSql Statements = new(UpsertListedSql, RevisedSql, StatusSql, ExistsSql);
}
