using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Catalog;
using MassTransit;

namespace Marketplace.Pricing.Products;

/// <summary>
/// Keeps pricing's copy of the listed products: owner (who may set plans and see valuations), category and grade (the
/// exchange's fee and the comparables), status (only a listed product is quoted). Versioned like every read model:
/// an older or repeated event changes nothing; a change that overtakes the listing is retried until it is here.
/// </summary>
public sealed class RecordProductConsumer(Inbox<PricingDb> inbox, TimeProvider time) :
    IConsumer<ProductListed>,
    IConsumer<ProductRevised>,
    IConsumer<ProductSuspended>,
    IConsumer<ProductReinstated>,
    IConsumer<ProductDelisted>
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

    public Task Consume(ConsumeContext<ProductListed> context)
    {
        var m = context.Message;
        return inbox.ProcessOnceAsync(context, nameof(RecordProductConsumer), uow => uow.ExecuteAsync(UpsertListedSql, new
        {
            Id = m.ProductId, m.OwnerId, m.Category, Grade = m.Grade.ToString(), m.Version, Now = time.GetUtcNow(),
        }));
    }

    public Task Consume(ConsumeContext<ProductRevised> context)
    {
        var m = context.Message;
        return Apply(context, RevisedSql, m.ProductId, new { Id = m.ProductId, m.Category, Grade = m.Grade.ToString(), m.Version, Now = time.GetUtcNow() });
    }

    public Task Consume(ConsumeContext<ProductSuspended> context) =>
        SetStatus(context, context.Message.ProductId, context.Message.Version, ProductStatus.Suspended);

    public Task Consume(ConsumeContext<ProductReinstated> context) =>
        SetStatus(context, context.Message.ProductId, context.Message.Version, ProductStatus.Listed);

    public Task Consume(ConsumeContext<ProductDelisted> context) =>
        SetStatus(context, context.Message.ProductId, context.Message.Version, ProductStatus.Delisted);

    private Task SetStatus<T>(ConsumeContext<T> context, Guid id, int version, ProductStatus status)
        where T : class =>
        Apply(context, StatusSql, id, new { Id = id, Version = version, Status = status.ToString(), Now = time.GetUtcNow() });

    private Task Apply<T>(ConsumeContext<T> context, string sql, Guid id, object args)
        where T : class =>
        inbox.ProcessOnceAsync(context, nameof(RecordProductConsumer), uow => ReadModel.ChangeAsync(uow, sql, ExistsSql, id, args, "Product"));
}
