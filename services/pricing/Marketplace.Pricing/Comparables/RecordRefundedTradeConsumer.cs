using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Settlement;
using MassTransit;

namespace Marketplace.Pricing.Comparables;

/// <summary>
/// A trade refunded in full is not a price the market paid: it leaves the comparables (valuation's market method and
/// price guidance). A partial refund leaves the trade in — the buyer kept the data at a price. Once per order.
/// </summary>
public sealed class RecordRefundedTradeConsumer(Inbox<PricingDb> inbox) : IConsumer<TradeRefunded>
{
    private const string InsertSql = """
        INSERT INTO pricing.refunded_trades (order_id, refunded_at)
        SELECT @OrderId, @RefundedAt
        WHERE NOT EXISTS (SELECT 1 FROM pricing.refunded_trades WHERE order_id = @OrderId)
        """;

    public Task Consume(ConsumeContext<TradeRefunded> context) =>
        inbox.ProcessOnceAsync(context, nameof(RecordRefundedTradeConsumer), async uow =>
        {
            if (context.Message.Full)
            {
                await uow.ExecuteAsync(InsertSql, new { context.Message.OrderId, RefundedAt = context.Message.RefundedAt.ToUniversalTime() });
            }
        });
}
