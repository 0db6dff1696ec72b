using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Rights.Access;

/// <summary>
/// Exclusivity reservations: an order approved (or awaiting its provider) for a product that sells exclusive licences
/// holds one until its licence is issued or it ends, so an exclusive request is refused while any other order holds one
/// and any request while an exclusive one does — before anybody pays. Taken and checked under the product's row lock.
/// </summary>
internal static class Reservations
{
    private const string ReserveSql = """
        INSERT INTO rights.reservations (order_id, product_id, exclusive, status, reserved_at) VALUES (@OrderId, @ProductId, @Exclusive, 'Reserved', @Now)
        """;

    private const string StatusSql = "SELECT status FROM rights.reservations WHERE order_id = @OrderId";

    private const string HeldByOthersSql = """
        SELECT CASE WHEN EXISTS (
            SELECT 1 FROM rights.reservations
            WHERE product_id = @ProductId AND status = 'Reserved' AND order_id <> @OrderId AND (@ExclusiveOnly = 0 OR exclusive = 1))
        THEN 1 ELSE 0 END
        """;

    private const string CloseSql = "UPDATE rights.reservations SET status = @Status, ended_at = @Now WHERE order_id = @OrderId AND status = 'Reserved'";

    private const string TombstoneSql = """
        INSERT INTO rights.reservations (order_id, product_id, exclusive, status, reserved_at, ended_at) VALUES (@OrderId, @ProductId, 0, 'Ended', @Now, @Now)
        """;

    public static Task ReserveAsync(UnitOfWork uow, Guid orderId, Guid productId, bool exclusive, DateTimeOffset now) =>
        uow.ExecuteAsync(ReserveSql, new { OrderId = orderId, ProductId = productId, Exclusive = exclusive, Now = now });

    /// <summary>Whether another order holds a reservation on the product (only exclusive ones when <paramref name="exclusiveOnly"/>).</summary>
    public static async Task<bool> HeldByOthersAsync(UnitOfWork uow, Guid productId, Guid? orderId, bool exclusiveOnly) =>
        await uow.ExecuteScalarAsync<long>(HeldByOthersSql, new { ProductId = productId, OrderId = orderId ?? Guid.Empty, ExclusiveOnly = exclusiveOnly }) > 0;

    /// <summary>Whether the order ended before rights decided or licensed it (its row says Ended).</summary>
    public static async Task<bool> EndedAsync(UnitOfWork uow, Guid orderId) =>
        await uow.QuerySingleOrDefaultAsync<string>(StatusSql, new { OrderId = orderId }) == "Ended";

    /// <summary>The licence took over the reservation.</summary>
    public static Task LicensedAsync(UnitOfWork uow, Guid orderId, DateTimeOffset now) =>
        uow.ExecuteAsync(CloseSql, new { OrderId = orderId, Status = "Licensed", Now = now });

    /// <summary>
    /// The order ended: its reservation is released; an order rights has not decided yet is remembered as ended, so the
    /// decision arriving after it reserves nothing.
    /// </summary>
    public static async Task EndAsync(UnitOfWork uow, Guid orderId, Guid productId, DateTimeOffset now)
    {
        if (await uow.ExecuteAsync(CloseSql, new { OrderId = orderId, Status = "Ended", Now = now }) == 0
            && await uow.QuerySingleOrDefaultAsync<string>(StatusSql, new { OrderId = orderId }) is null)
        {
            await uow.ExecuteAsync(TombstoneSql, new { OrderId = orderId, ProductId = productId, Now = now });
        }
    }
}
