using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Rights.Registrations;

internal static class RegistrationStore
{
    public const string Columns = """
        seq, id, product_id, applicant_id, rights, holders, manifest_sha256, source_description, lawful_basis, status, notice_ends_at,
        version, created_at, updated_at
        """;

    private const string FindSql = $"SELECT {Columns} FROM rights.registrations WHERE id = @Id";

    private const string InsertSql = """
        INSERT INTO rights.registrations (id, product_id, applicant_id, rights, holders, manifest_sha256, source_description, lawful_basis,
            status, notice_ends_at, version, created_at, updated_at)
        VALUES (@Id, @ProductId, @ApplicantId, @Rights, @Holders, @ManifestSha256, @SourceDescription, @LawfulBasis,
            @Status, @NoticeEndsAt, @Version, @CreatedAt, @UpdatedAt)
        """;

    private const string UpdateSql = """
        UPDATE rights.registrations
        SET rights = @Rights, holders = @Holders, manifest_sha256 = @ManifestSha256, source_description = @SourceDescription,
            lawful_basis = @LawfulBasis, status = @Status, notice_ends_at = @NoticeEndsAt, version = @Version, updated_at = @UpdatedAt
        WHERE id = @Id AND version = @Expected
        """;

    private const string LiveForProductSql = """
        SELECT COUNT(*) FROM rights.registrations
        WHERE product_id = @ProductId AND status IN ('Submitted', 'Returned', 'FormalPassed', 'InNotice', 'Certified')
        """;

    private const string HistorySql = """
        INSERT INTO rights.registration_history (registration_id, version, action, reason, actor_id, occurred_at)
        VALUES (@RegistrationId, @Version, @Action, @Reason, @ActorId, @Now)
        """;

    public static Task<Registration?> FindAsync(UnitOfWork uow, Guid id) => uow.QuerySingleOrDefaultAsync<Registration>(FindSql, new { Id = id });

    public static async Task<bool> HasLiveAsync(UnitOfWork uow, Guid productId) =>
        await uow.ExecuteScalarAsync<long>(LiveForProductSql, new { ProductId = productId }) > 0;

    public static Task InsertAsync(UnitOfWork uow, Registration r) => uow.ExecuteAsync(InsertSql, Args(r, 0));

    public static async Task<bool> UpdateAsync(UnitOfWork uow, Registration r, int expected) => await uow.ExecuteAsync(UpdateSql, Args(r, expected)) == 1;

    public static Task RecordAsync(UnitOfWork uow, Registration r, string action, string? reason, Guid? actor, DateTimeOffset now) =>
        uow.ExecuteAsync(HistorySql, new { RegistrationId = r.Id, r.Version, Action = action, Reason = reason, ActorId = actor, Now = now });

    private static object Args(Registration r, int expected) => new
    {
        r.Id, r.ProductId, r.ApplicantId, r.Rights, r.Holders, r.ManifestSha256, r.SourceDescription, r.LawfulBasis,
        Status = r.Status.ToString(), r.NoticeEndsAt, r.Version, r.CreatedAt, r.UpdatedAt, Expected = expected,
    };
}
