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

    /// <summary>Live licences (active or suspended, term not over) on a product: what exclusivity is checked against.</summary>
    private const string LiveSql = """
        SELECT COUNT(*) FROM rights.licences
        WHERE product_id = @ProductId AND status IN ('Active', 'Suspended') AND ends_at > @Now AND (@ExclusiveOnly = 0 OR exclusive = 1)
        """;

    public static Task<Licence?> FindAsync(UnitOfWork uow, Guid id) => uow.QuerySingleOrDefaultAsync<Licence>(FindSql, new { Id = id });

    public static Task InsertAsync(UnitOfWork uow, Licence licence) => uow.ExecuteAsync(InsertSql, licence);

    public static async Task<bool> UpdateAsync(UnitOfWork uow, Licence licence, int expected) => await uow.ExecuteAsync(UpdateSql, new
    {
        licence.Id, Status = licence.Status.ToString(), licence.StatusReason, licence.Version, licence.UpdatedAt, Expected = expected,
    }) == 1;

    public static async Task<long> LiveAsync(UnitOfWork uow, Guid productId, bool exclusiveOnly, DateTimeOffset now) =>
        await uow.ExecuteScalarAsync<long>(LiveSql, new { ProductId = productId, ExclusiveOnly = exclusiveOnly ? 1 : 0, Now = now });
}
