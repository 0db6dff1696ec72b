using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Pricing;
using MassTransit;

namespace Marketplace.Catalog.Search;

/// <summary>
/// Keeps each product's cheapest price for search from pricing's plan events: a plan's latest revision and whether it
/// is still published; the product's <c>min_price</c> is the lowest entry price of its published CNY plans (null when
/// it has none). Revisions guard the order: an older or repeated event changes nothing, and a retirement that
/// overtakes its publication still wins.
/// </summary>
public sealed class RecordPlanPriceConsumer(Inbox<CatalogDb> inbox, TimeProvider time) :
    IConsumer<PricePlanPublished>,
    IConsumer<PricePlanRetired>
{
    private const string PublishedSql = """
        UPDATE catalog.plan_prices SET revision = @Revision, currency = @Currency, from_price = @FromPrice, active = 1, updated_at = @Now
        WHERE plan_id = @PlanId AND revision < @Revision;
        INSERT INTO catalog.plan_prices (plan_id, product_id, revision, currency, from_price, active, updated_at)
        SELECT @PlanId, @ProductId, @Revision, @Currency, @FromPrice, 1, @Now
        WHERE NOT EXISTS (SELECT 1 FROM catalog.plan_prices WHERE plan_id = @PlanId);
        """;

    private const string RetiredSql = """
        UPDATE catalog.plan_prices SET revision = @Revision, active = 0, updated_at = @Now
        WHERE plan_id = @PlanId AND revision <= @Revision;
        INSERT INTO catalog.plan_prices (plan_id, product_id, revision, currency, from_price, active, updated_at)
        SELECT @PlanId, @ProductId, @Revision, 'CNY', 0, 0, @Now
        WHERE NOT EXISTS (SELECT 1 FROM catalog.plan_prices WHERE plan_id = @PlanId);
        """;

    /// <summary>Also used when a product is (re)indexed, so a relisted product shows its price again.</summary>
    internal const string MinPriceSql = """
        SELECT MIN(from_price) FROM catalog.plan_prices WHERE product_id = @ProductId AND active = 1 AND currency = 'CNY'
        """;

    private const string SetMinPriceSql = $"""
        UPDATE catalog.product_search SET min_price = ({MinPriceSql}) WHERE product_id = @ProductId
        """;

    public Task Consume(ConsumeContext<PricePlanPublished> context)
    {
        var m = context.Message;
        return Apply(context, PublishedSql, new { m.PlanId, m.ProductId, m.Revision, m.Currency, m.FromPrice, Now = time.GetUtcNow() }, m.ProductId);
    }

    public Task Consume(ConsumeContext<PricePlanRetired> context)
    {
        var m = context.Message;
        return Apply(context, RetiredSql, new { m.PlanId, m.ProductId, m.Revision, Now = time.GetUtcNow() }, m.ProductId);
    }

    private Task Apply<T>(ConsumeContext<T> context, string sql, object args, Guid productId)
        where T : class =>
        inbox.ProcessOnceAsync(context, nameof(RecordPlanPriceConsumer), async uow =>
        {
            await uow.ExecuteAsync(sql, args);
            await uow.ExecuteAsync(SetMinPriceSql, new { ProductId = productId });
        });
}
