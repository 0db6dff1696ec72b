using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Pricing.Plans;

internal static class PlanStore
{
    public const string Columns = """
        seq, id, product_id, owner_id, revision, kind, name, currency, terms, from_price, status, version, created_at, updated_at
        """;

    private const string FindSql = $"SELECT {Columns} FROM pricing.price_plans WHERE id = @Id";

    private const string InsertSql = """
        INSERT INTO pricing.price_plans (id, product_id, owner_id, revision, kind, name, currency, terms, from_price, status, version, created_at, updated_at)
        VALUES (@Id, @ProductId, @OwnerId, @Revision, @Kind, @Name, @Currency, @Terms, @FromPrice, @Status, @Version, @CreatedAt, @UpdatedAt)
        """;

    private const string UpdateSql = """
        UPDATE pricing.price_plans
        SET revision = @Revision, kind = @Kind, name = @Name, currency = @Currency, terms = @Terms, from_price = @FromPrice,
            status = @Status, version = @Version, updated_at = @UpdatedAt
        WHERE id = @Id AND version = @Expected
        """;

    private const string CountOpenSql = "SELECT COUNT(*) FROM pricing.price_plans WHERE product_id = @ProductId AND status = 'Published'";

    private const string RecordSql = """
        INSERT INTO pricing.price_plan_revisions (plan_id, revision, terms, action, actor_id, occurred_at)
        VALUES (@PlanId, @Revision, @Terms, @Action, @ActorId, @Now)
        """;

    public static Task<PricePlan?> FindAsync(UnitOfWork uow, Guid id) => uow.QuerySingleOrDefaultAsync<PricePlan>(FindSql, new { Id = id });

    public static Task<long> CountPublishedAsync(UnitOfWork uow, Guid productId) =>
        uow.ExecuteScalarAsync<long>(CountOpenSql, new { ProductId = productId });

    public static Task InsertAsync(UnitOfWork uow, PricePlan plan) => uow.ExecuteAsync(InsertSql, Args(plan, 0));

    public static async Task<bool> UpdateAsync(UnitOfWork uow, PricePlan plan, int expected) =>
        await uow.ExecuteAsync(UpdateSql, Args(plan, expected)) == 1;

    public static Task RecordAsync(UnitOfWork uow, PricePlan plan, string action, Guid actor, DateTimeOffset now) =>
        uow.ExecuteAsync(RecordSql, new { PlanId = plan.Id, plan.Revision, plan.Terms, Action = action, ActorId = actor, Now = now });

    private static object Args(PricePlan p, int expected) => new
    {
        p.Id, p.ProductId, p.OwnerId, p.Revision, Kind = p.Kind.ToString(), p.Name, p.Currency, p.Terms, p.FromPrice,
        Status = p.Status.ToString(), p.Version, p.CreatedAt, p.UpdatedAt, Expected = expected,
    };
}
