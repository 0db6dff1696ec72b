using Marketplace.BuildingBlocks.Data;
using Marketplace.Contracts.Rights;
using Marketplace.Contracts.Settlement;

namespace Marketplace.Rights.Access;

/// <summary>Publishes the outcome of an evaluation for an order, and keeps the access requests awaiting a provider.</summary>
internal static class AccessDecisions
{
    public const string Columns = """
        seq, order_id, buyer_id, product_id, provider_id, purpose, exclusive, status, reason, deadline, decided_by, decided_at, created_at
        """;

    private const string FindSql = $"SELECT {Columns} FROM rights.access_requests WHERE order_id = @OrderId";

    private const string InsertSql = """
        INSERT INTO rights.access_requests (order_id, buyer_id, product_id, provider_id, purpose, exclusive, status, deadline, created_at)
        VALUES (@OrderId, @BuyerId, @ProductId, @ProviderId, @Purpose, @Exclusive, 'AwaitingProvider', @Deadline, @Now)
        """;

    private const string CloseSql = """
        UPDATE rights.access_requests SET status = @Status, reason = @Reason, decided_by = @DecidedBy, decided_at = @Now
        WHERE order_id = @OrderId AND status = 'AwaitingProvider'
        """;

    public static Task<AccessRequest?> FindAsync(UnitOfWork uow, Guid orderId) => uow.QuerySingleOrDefaultAsync<AccessRequest>(FindSql, new { OrderId = orderId });

    public static Task AwaitProviderAsync(UnitOfWork uow, OrderPlaced request, Guid providerId, DateTimeOffset deadline, DateTimeOffset now) =>
        uow.ExecuteAsync(InsertSql, new { request.OrderId, request.BuyerId, request.ProductId, ProviderId = providerId, request.Purpose, request.Exclusive, Deadline = deadline, Now = now });

    /// <summary>Closes a waiting request; false when it was no longer waiting (decided, lapsed).</summary>
    public static async Task<bool> CloseAsync(UnitOfWork uow, Guid orderId, AccessRequestStatus status, string? reason, Guid? decidedBy, DateTimeOffset now) =>
        await uow.ExecuteAsync(CloseSql, new { OrderId = orderId, Status = status.ToString(), Reason = reason, DecidedBy = decidedBy, Now = now }) == 1;

    public static Task ApproveAsync(UnitOfWork uow, Guid orderId, Guid buyerId, bool exclusive, AccessEvaluation evaluation, DateTimeOffset now) =>
        uow.PublishAsync(new AccessApproved(
            orderId, buyerId, evaluation.Product!.Id, evaluation.Product.OwnerId, evaluation.Certificate!.Number, evaluation.Certificate.HolderList, exclusive, now), now);

    public static Task RejectAsync(UnitOfWork uow, Guid orderId, Guid buyerId, Guid productId, string reason, string message, DateTimeOffset now) =>
        uow.PublishAsync(new AccessRejected(orderId, buyerId, productId, reason, message, now), now);
}
