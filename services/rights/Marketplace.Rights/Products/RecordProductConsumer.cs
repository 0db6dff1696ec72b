using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Catalog;
using MassTransit;

namespace Marketplace.Rights.Products;

/// <summary>
/// Keeps rights' copy of listed products: the owner (who may register rights), subject and grade (access rules),
/// manual approval and exclusivity, the manifest fingerprint a registration's evidence must match, and the listing
/// status. Versioned: an older or repeated event changes nothing; a change that overtakes the listing is retried.
/// </summary>
public sealed class RecordProductConsumer(Inbox<RightsDb> inbox, TimeProvider time) :
    IConsumer<ProductListed>,
    IConsumer<ProductRevised>,
    IConsumer<ProductSuspended>,
    IConsumer<ProductReinstated>,
    IConsumer<ProductDelisted>
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

    public Task Consume(ConsumeContext<ProductListed> context)
    {
        var m = context.Message;
        return Upsert(context, m.ProductId, m.OwnerId, m.Category, m.Subject, m.Grade, m.RequiresManualApproval, m.ExclusiveAllowed, m.ManifestSha256, m.DeliveryMethods, m.Version);
    }

    /// <summary>A revision is approved only for a listed product, so it never changes the listing status.</summary>
    public Task Consume(ConsumeContext<ProductRevised> context)
    {
        var m = context.Message;
        return Upsert(context, m.ProductId, m.OwnerId, m.Category, m.Subject, m.Grade, m.RequiresManualApproval, m.ExclusiveAllowed, m.ManifestSha256, m.DeliveryMethods, m.Version);
    }

    public Task Consume(ConsumeContext<ProductSuspended> context) =>
        SetStatus(context, context.Message.ProductId, context.Message.Version, ProductStatus.Suspended);

    public Task Consume(ConsumeContext<ProductReinstated> context) =>
        SetStatus(context, context.Message.ProductId, context.Message.Version, ProductStatus.Listed);

    public Task Consume(ConsumeContext<ProductDelisted> context) =>
        SetStatus(context, context.Message.ProductId, context.Message.Version, ProductStatus.Delisted);

    private Task Upsert<T>(
        ConsumeContext<T> context, Guid id, Guid owner, string category, DataSubject subject, DataGrade grade, bool manual, bool exclusive, string manifest,
        IReadOnlyList<DeliveryMethod> methods, int version)
        where T : class =>
        inbox.ProcessOnceAsync(context, nameof(RecordProductConsumer), uow => uow.ExecuteAsync(ListedSql, new
        {
            Id = id, OwnerId = owner, Category = category, Subject = subject.ToString(), Grade = grade.ToString(), RequiresManualApproval = manual,
            ExclusiveAllowed = exclusive, ManifestSha256 = manifest, DeliveryMethods = string.Join(',', methods.Order()), Status = nameof(ProductStatus.Listed),
            Version = version, Now = time.GetUtcNow(),
        }));

    private Task SetStatus<T>(ConsumeContext<T> context, Guid id, int version, ProductStatus status)
        where T : class =>
        inbox.ProcessOnceAsync(context, nameof(RecordProductConsumer), uow =>
            ReadModel.ChangeAsync(uow, StatusSql, ExistsSql, id, new { Id = id, Version = version, Status = status.ToString(), Now = time.GetUtcNow() }, "Product"));
}
