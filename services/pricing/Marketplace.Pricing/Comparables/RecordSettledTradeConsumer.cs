using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Settlement;
using Marketplace.Pricing.Products;
using MassTransit;

namespace Marketplace.Pricing.Comparables;

/// <summary>
/// Keeps every settled trade, with its product's category and grade at the time, as a comparable for the market
/// method and price guidance. Once per order; a trade of a product pricing has not heard of yet is retried.
/// </summary>
public sealed class RecordSettledTradeConsumer(Inbox<PricingDb> inbox) : IConsumer<TradeSettled>
{
    private const string InsertSql = """
        INSERT INTO pricing.settled_trades (order_id, product_id, category, grade, quantity, currency, amount, settled_at)
        SELECT @OrderId, @ProductId, @Category, @Grade, @Quantity, @Currency, @Amount, @SettledAt
        WHERE NOT EXISTS (SELECT 1 FROM pricing.settled_trades WHERE order_id = @OrderId)
        """;

    public Task Consume(ConsumeContext<TradeSettled> context) =>
        inbox.ProcessOnceAsync(context, nameof(RecordSettledTradeConsumer), async uow =>
        {
            var trade = context.Message;
            var product = await ProductDirectory.FindAsync(uow, trade.ProductId)
                ?? throw new InvalidOperationException($"Product {trade.ProductId} is not known to pricing yet; retrying until its listing arrives.");
            await uow.ExecuteAsync(InsertSql, new
            {
                trade.OrderId, trade.ProductId, product.Category, Grade = product.Grade.ToString(), trade.Quantity, trade.Currency, trade.Amount,
                SettledAt = trade.SettledAt.ToUniversalTime(),
            });
        });
}
