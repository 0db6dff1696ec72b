using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Pricing.Quotes;

internal static class QuoteStore
{
    public const string Columns = """
        seq, id, request_id, order_id, buyer_id, seller_id, product_id, plan_id, plan_revision, plan_terms, fee_schedule,
        quantity, currency, amount, fee_bps, exchange_fee, vat_bps, tax, total, term_unit, term_length, status,
        issued_at, valid_until, expired_at
        """;

    private const string InsertSql = """
        INSERT INTO pricing.quotes (id, request_id, order_id, buyer_id, seller_id, product_id, plan_id, plan_revision, plan_terms,
            fee_schedule, quantity, currency, amount, fee_bps, exchange_fee, vat_bps, tax, total, term_unit, term_length,
            status, issued_at, valid_until)
        VALUES (@Id, @RequestId, @OrderId, @BuyerId, @SellerId, @ProductId, @PlanId, @PlanRevision, @PlanTerms,
            @FeeSchedule, @Quantity, @Currency, @Amount, @FeeBps, @ExchangeFee, @VatBps, @Tax, @Total, @TermUnit, @TermLength,
            'Issued', @IssuedAt, @ValidUntil)
        """;

    private const string TrialOrderSql = """
        SELECT q.order_id FROM pricing.trial_uses t JOIN pricing.quotes q ON q.id = t.quote_id WHERE t.buyer_id = @BuyerId AND t.product_id = @ProductId
        """;

    private const string ReleaseTrialSql = """
        DELETE FROM pricing.trial_uses WHERE quote_id IN (SELECT id FROM pricing.quotes WHERE order_id = @OrderId)
        """;

    private const string UseTrialSql = """
        INSERT INTO pricing.trial_uses (buyer_id, product_id, quote_id, used_at) VALUES (@BuyerId, @ProductId, @QuoteId, @Now)
        """;

    public static Task InsertAsync(UnitOfWork uow, Quote q) => uow.ExecuteAsync(InsertSql, new
    {
        q.Id, q.RequestId, q.OrderId, q.BuyerId, q.SellerId, q.ProductId, q.PlanId, q.PlanRevision, q.PlanTerms, q.FeeSchedule,
        q.Quantity, q.Currency, q.Amount, q.FeeBps, q.ExchangeFee, q.VatBps, q.Tax, q.Total,
        TermUnit = q.TermUnit.ToString(), q.TermLength, q.IssuedAt, q.ValidUntil,
    });

    /// <summary>The order whose quote used the buyer's trial of the product, if any.</summary>
    public static Task<Guid?> TrialOrderAsync(UnitOfWork uow, Guid buyerId, Guid productId) =>
        uow.QuerySingleOrDefaultAsync<Guid?>(TrialOrderSql, new { BuyerId = buyerId, ProductId = productId });

    /// <summary>An order that ended unsettled gives the trial its quote used back.</summary>
    public static Task ReleaseTrialAsync(UnitOfWork uow, Guid orderId) => uow.ExecuteAsync(ReleaseTrialSql, new { OrderId = orderId });

    public static Task UseTrialAsync(UnitOfWork uow, Guid buyerId, Guid productId, Guid quoteId, DateTimeOffset now) =>
        uow.ExecuteAsync(UseTrialSql, new { BuyerId = buyerId, ProductId = productId, QuoteId = quoteId, Now = now });
}
