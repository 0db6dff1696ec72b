using Marketplace.BuildingBlocks.Messaging;

namespace Marketplace.Rights.Products;

/// <summary>
/// Keeps rights' copy of listed products: the owner (who may register rights), subject and grade (access rules),
/// manual approval and exclusivity, the manifest fingerprint a registration's evidence must match, and the listing
/// status. Versioned: an older or repeated event changes nothing; a change that overtakes the listing is retried.
/// </summary>
public sealed class RecordProductConsumer(Inbox<RightsDb> inbox, TimeProvider time) : ListedProductConsumer<RightsDb>(inbox, time, Statements)
{
    private const string ListedSql = """
        UPDATE rights.products
        SET category = @Category, subject = @Subject, grade = @Grade, requires_manual_approval = @RequiresManualApproval,
            exclusive_allowed = @ExclusiveAllowed, manifest_sha256 = @ManifestSha256, delivery_methods = @DeliveryMethods, status = @Status,
            version = @Version, updated_at = @Now
        WHERE id = @Id AND version < @Version;
        INSERT INTO rights.products (id, owner_id, category, subject, grade, requires_manual_approval, exclusive_allowed, manifest_sha256,
            delivery_methods, status, version, updated_at)
        SELECT @Id, @OwnerId, @Category, @Subject, @Grade, @RequiresManualApproval, @ExclusiveAllowed, @ManifestSha256, @DeliveryMethods, @Status,
            @Version, @Now
        WHERE NOT EXISTS (SELECT 1 FROM rights.products WHERE id = @Id);
        """;

    private const string StatusSql = """
        UPDATE rights.products SET status = @Status, version = @Version, updated_at = @Now WHERE id = @Id AND version < @Version
        """;

    private const string ExistsSql = "SELECT COUNT(*) FROM rights.products WHERE id = @Id";

    /// <summary>A revision carries every field a listing does, so it is the same upsert (versioned like the rest).</summary>
    private static readonly ListedProductSql Statements = new(ListedSql, ListedSql, StatusSql, ExistsSql);
}
