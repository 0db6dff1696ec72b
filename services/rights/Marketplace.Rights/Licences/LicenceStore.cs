using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Rights.Licences;

internal static class LicenceStore
{
    public const string Columns = """
        seq, id, order_id, licensee_id, product_id, provider_id, plan_id, purpose, starts_at, ends_at, usage_limit, exclusive, status,
        status_reason, version, issued_at, updated_at
        """;

    private const string FindSql = $"SELECT {Columns} FROM rights.licences WHERE id = @Id";

    private const string InsertSql = """
        INSERT INTO rights.licences (id, order_id, licensee_id, product_id, provider_id, plan_id, purpose, starts_at, ends_at, usage_limit,
            exclusive, status, version, issued_at, updated_at)
        VALUES (@Id, @OrderId, @LicenseeId, @ProductId, @ProviderId, @PlanId, @Purpose, @StartsAt, @EndsAt, @UsageLimit,
            @Exclusive, 'Active', 1, @IssuedAt, @UpdatedAt)
        """;

    private const string UpdateSql = """
        UPDATE rights.licences SET status = @Status, status_reason = @StatusReason, version = @Version, updated_at = @UpdatedAt
        WHERE id = @Id AND version = @Expected
        """;

    // Live = active or suspended, term not over: what exclusivity is checked against. Two statements rather than one with
    // "(@ExclusiveOnly = 0 OR exclusive = 1)", which no index can seek on: each seeks IX_licences_product
    // (product_id, status, exclusive, ends_at), so its cost does not grow with the licences sold on the product.
    internal const string LiveExclusiveSql = """
        SELECT COUNT(*) FROM rights.licences
        WHERE product_id = @ProductId AND status IN ('Active', 'Suspended') AND exclusive = 1 AND ends_at > @Now
        """;

    internal const string AnyLiveSql = """
        SELECT CASE WHEN EXISTS (
            SELECT 1 FROM rights.licences WHERE product_id = @ProductId AND status IN ('Active', 'Suspended') AND ends_at > @Now)
        THEN 1 ELSE 0 END
        """;

    public static Task<Licence?> FindAsync(UnitOfWork uow, Guid id) => uow.QuerySingleOrDefaultAsync<Licence>(FindSql, new { Id = id });

    public static Task InsertAsync(UnitOfWork uow, Licence licence) => uow.ExecuteAsync(InsertSql, licence);

    public static async Task<bool> UpdateAsync(UnitOfWork uow, Licence licence, int expected) => await uow.ExecuteAsync(UpdateSql, new
    {
        licence.Id, Status = licence.Status.ToString(), licence.StatusReason, licence.Version, licence.UpdatedAt, Expected = expected,
    }) == 1;

    /// <summary>Whether a licence on the product is in force (an exclusive one cannot be granted then).</summary>
    public static async Task<bool> AnyLiveAsync(UnitOfWork uow, Guid productId, DateTimeOffset now) =>
        await uow.ExecuteScalarAsync<long>(AnyLiveSql, new { ProductId = productId, Now = now }) > 0;

    /// <summary>Whether an exclusive licence on the product is in force (no other can be granted then).</summary>
    public static async Task<bool> ExclusiveLiveAsync(UnitOfWork uow, Guid productId, DateTimeOffset now) =>
        await uow.ExecuteScalarAsync<long>(LiveExclusiveSql, new { ProductId = productId, Now = now }) > 0;
}
