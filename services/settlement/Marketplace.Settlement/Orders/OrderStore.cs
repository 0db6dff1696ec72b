using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Settlement.Orders;

internal static class OrderStore
{
    public const string Columns = """
        seq, id, buyer_id, seller_id, product_id, category, grade, plan_id, quantity, purpose, exclusive, request_hash, status, reason,
        reason_detail, certificate_number, holders, approval_deadline, quote_id, quote_valid_until, currency, amount, exchange_fee, tax, total,
        payouts, term_unit, term_length, settlement_entry_id, licence_id, licence_ends_at, licence_status, licence_status_at, settled_at, completed_at, release_at, released,
        refunded, version, created_at, updated_at
        """;

    private const string FindSql = $"SELECT {Columns} FROM settlement.orders WHERE id = @Id";

    private const string FindVersionSql = "SELECT buyer_id, seller_id, version FROM settlement.orders WHERE id = @Id";

    private const string InsertSql = """
        INSERT INTO settlement.orders (id, buyer_id, seller_id, product_id, category, grade, plan_id, quantity, purpose, exclusive, request_hash,
            status, released, refunded, version, created_at, updated_at)
        VALUES (@Id, @BuyerId, @SellerId, @ProductId, @Category, @Grade, @PlanId, @Quantity, @Purpose, @Exclusive, @RequestHash,
            @Status, 0, 0, 1, @CreatedAt, @UpdatedAt)
        """;

    private const string UpdateSql = """
        UPDATE settlement.orders
        SET status = @Status, reason = @Reason, reason_detail = @ReasonDetail, certificate_number = @CertificateNumber, holders = @Holders,
            approval_deadline = @ApprovalDeadline, quote_id = @QuoteId, quote_valid_until = @QuoteValidUntil, currency = @Currency,
            amount = @Amount, exchange_fee = @ExchangeFee, tax = @Tax, total = @Total, payouts = @Payouts, term_unit = @TermUnit,
            term_length = @TermLength, settlement_entry_id = @SettlementEntryId, licence_id = @LicenceId, licence_ends_at = @LicenceEndsAt,
            licence_status = @LicenceStatus, licence_status_at = @LicenceStatusAt,
            settled_at = @SettledAt, completed_at = @CompletedAt, release_at = @ReleaseAt, released = @Released, refunded = @Refunded,
            version = @Version, updated_at = @UpdatedAt
        WHERE id = @Id AND version = @Expected
        """;

    /// <summary>Orders waiting on the exchange itself (<see cref="OrderLifecycle.WaitingOnExchange"/>), not on a person (<see cref="OrderAdmission"/>).</summary>
    internal const string InProgressSql = $"SELECT COUNT(*) FROM settlement.orders WHERE status IN ({WaitingOnExchange})";

    /// <summary>One buyer's orders waiting on the exchange (its fair share, <see cref="OrderAdmission"/>): IX_orders_buyer_in_progress.</summary>
    internal const string BuyerInProgressSql = $"SELECT COUNT(*) FROM settlement.orders WHERE buyer_id = @BuyerId AND status IN ({WaitingOnExchange})";

    /// <summary><see cref="OrderLifecycle.WaitingOnExchange"/> as SQL (a constant, so the statements stay constants; a test holds them equal).</summary>
    internal const string WaitingOnExchange = "'Requested', 'AwaitingQuote'";

    public static Task<Order?> FindAsync(UnitOfWork uow, Guid id) => uow.QuerySingleOrDefaultAsync<Order>(FindSql, new { Id = id });

    /// <summary>Who may see the order and which version it is at: what a conditional read compares before reading it whole.</summary>
    public static Task<OrderVersion?> FindVersionAsync(UnitOfWork uow, Guid id) =>
        uow.QuerySingleOrDefaultAsync<OrderVersion>(FindVersionSql, new { Id = id });

    public static Task<long> InProgressAsync(UnitOfWork uow) => uow.QuerySingleOrDefaultAsync<long>(InProgressSql);

    public static Task<long> BuyerInProgressAsync(UnitOfWork uow, Guid buyer) =>
        uow.QuerySingleOrDefaultAsync<long>(BuyerInProgressSql, new { BuyerId = buyer });

    public static Task InsertAsync(UnitOfWork uow, Order o) => uow.ExecuteAsync(InsertSql, new
    {
        o.Id, o.BuyerId, o.SellerId, o.ProductId, o.Category, o.Grade, o.PlanId, o.Quantity, o.Purpose, o.Exclusive, o.RequestHash,
        Status = o.Status.ToString(), o.CreatedAt, o.UpdatedAt,
    });

    public static async Task<bool> UpdateAsync(UnitOfWork uow, Order o, int expected)
    {
        var updated = await uow.ExecuteAsync(UpdateSql, new
        {
            o.Id, Status = o.Status.ToString(), o.Reason, o.ReasonDetail, o.CertificateNumber, o.Holders, o.ApprovalDeadline, o.QuoteId,
            o.QuoteValidUntil, o.Currency, o.Amount, o.ExchangeFee, o.Tax, o.Total, o.Payouts, TermUnit = o.TermUnit?.ToString(), o.TermLength,
            o.SettlementEntryId, o.LicenceId, o.LicenceEndsAt, LicenceStatus = o.LicenceStatus?.ToString(), o.LicenceStatusAt, o.SettledAt, o.CompletedAt, o.ReleaseAt, o.Released, o.Refunded, o.Version,
            o.UpdatedAt, Expected = expected,
        }) == 1;
        if (updated)
        {
            uow.Changed(o.Id);
        }

        return updated;
    }
}

internal sealed class OrderVersion
{
    public Guid BuyerId { get; init; }

    public Guid SellerId { get; init; }

    public int Version { get; init; }
}
