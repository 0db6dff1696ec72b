using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Pricing.Quotes;

internal static class QuoteStore
{
    public const string Columns = """
        seq, id, request_id, order_id, buyer_id, seller_id, product_id, plan_id, plan_revision, plan_terms, fee_schedule,
        quantity, currency, amount, fee_bps, exchange_fee, vat_bps, tax, total, payouts, term_unit, term_length, status,
        issued_at, valid_until, expired_at
        """;

    private const string InsertSql = """
        INSERT INTO pricing.quotes (id, request_id, order_id, buyer_id, seller_id, product_id, plan_id, plan_revision, plan_terms,
            fee_schedule, quantity, currency, amount, fee_bps, exchange_fee, vat_bps, tax, total, payouts, term_unit, term_length,
            status, issued_at, valid_until)
        VALUES (@Id, @RequestId, @OrderId, @BuyerId, @SellerId, @ProductId, @PlanId, @PlanRevision, @PlanTerms,
            @FeeSchedule, @Quantity, @Currency, @Amount, @FeeBps, @ExchangeFee, @VatBps, @Tax, @Total, @Payouts, @TermUnit, @TermLength,
            'Issued', @IssuedAt, @ValidUntil)
        """;

    private const string TrialUsedSql = "SELECT COUNT(*) FROM pricing.trial_uses WHERE buyer_id = @BuyerId AND product_id = @ProductId";

    private const string UseTrialSql = """
        INSERT INTO pricing.trial_uses (buyer_id, product_id, quote_id, used_at) VALUES (@BuyerId, @ProductId, @QuoteId, @Now)
        """;

    public static Task InsertAsync(UnitOfWork uow, Quote q) => uow.ExecuteAsync(InsertSql, new
    {
        q.Id, q.RequestId, q.OrderId, q.BuyerId, q.SellerId, q.ProductId, q.PlanId, q.PlanRevision, q.PlanTerms, q.FeeSchedule,
        q.Quantity, q.Currency, q.Amount, q.FeeBps, q.ExchangeFee, q.VatBps, q.Tax, q.Total, q.Payouts,
        TermUnit = q.TermUnit.ToString(), q.TermLength, q.IssuedAt, q.ValidUntil,
    });

    public static async Task<bool> TrialUsedAsync(UnitOfWork uow, Guid buyerId, Guid productId) =>
        await uow.ExecuteScalarAsync<long>(TrialUsedSql, new { BuyerId = buyerId, ProductId = productId }) > 0;

    public static Task UseTrialAsync(UnitOfWork uow, Guid buyerId, Guid productId, Guid quoteId, DateTimeOffset now) =>
        uow.ExecuteAsync(UseTrialSql, new { BuyerId = buyerId, ProductId = productId, QuoteId = quoteId, Now = now });
}
