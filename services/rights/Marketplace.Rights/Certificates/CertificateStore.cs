using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Rights.Certificates;

internal static class CertificateStore
{
    public const string Columns = """
        seq, number, registration_id, registration_seq, certificate_version, product_id, applicant_id, rights, holders, manifest_sha256,
        valid_from, valid_until, issued_at, digest, signature, key_id, status, status_reason, status_at
        """;

    private const string ByNumberSql = $"SELECT {Columns} FROM rights.certificates WHERE number = @Number";

    private const string CurrentSql = $"SELECT {Columns} FROM rights.certificates WHERE registration_id = @RegistrationId AND status = 'Active'";

    private const string ByRegistrationSql = $"SELECT {Columns} FROM rights.certificates WHERE registration_id = @RegistrationId ORDER BY certificate_version";

    private const string LatestVersionSql = "SELECT MAX(certificate_version) FROM rights.certificates WHERE registration_id = @RegistrationId";

    /// <summary>The product's live operating-right certificate naming the seller, if any.</summary>
    private const string OperatingSql = $"""
        SELECT {Columns} FROM rights.certificates
        WHERE product_id = @ProductId AND status = 'Active' AND valid_until > @Now AND valid_from <= @Now
        """;

    private const string InsertSql = """
        INSERT INTO rights.certificates (number, registration_id, registration_seq, certificate_version, product_id, applicant_id, rights,
            holders, manifest_sha256, valid_from, valid_until, issued_at, digest, signature, key_id, status)
        VALUES (@Number, @RegistrationId, @RegistrationSeq, @CertificateVersion, @ProductId, @ApplicantId, @Rights,
            @Holders, @ManifestSha256, @ValidFrom, @ValidUntil, @IssuedAt, @Digest, @Signature, @KeyId, 'Active')
        """;

    private const string SetStatusSql = """
        UPDATE rights.certificates SET status = @Status, status_reason = @Reason, status_at = @Now WHERE number = @Number AND status = 'Active'
        """;

    public static Task<Certificate?> FindAsync(UnitOfWork uow, string number) => uow.QuerySingleOrDefaultAsync<Certificate>(ByNumberSql, new { Number = number });

    public static Task<Certificate?> CurrentAsync(UnitOfWork uow, Guid registrationId) =>
        uow.QuerySingleOrDefaultAsync<Certificate>(CurrentSql, new { RegistrationId = registrationId });

    public static Task<IEnumerable<Certificate>> ForRegistrationAsync(UnitOfWork uow, Guid registrationId) =>
        uow.QueryAsync<Certificate>(ByRegistrationSql, new { RegistrationId = registrationId });

    public static async Task<Certificate?> OperatingRightAsync(UnitOfWork uow, Guid productId, Guid sellerId, DateTimeOffset now) =>
        (await uow.QueryAsync<Certificate>(OperatingSql, new { ProductId = productId, Now = now }))
        .FirstOrDefault(c => c.RightList.Contains(Contracts.Rights.RightKind.Operating) && c.HolderList.Any(h => h.HolderId == sellerId));

    public static async Task<int> LatestVersionAsync(UnitOfWork uow, Guid registrationId) =>
        await uow.ExecuteScalarAsync<int?>(LatestVersionSql, new { RegistrationId = registrationId }) ?? 0;

    public static Task InsertAsync(UnitOfWork uow, Certificate c) => uow.ExecuteAsync(InsertSql, c);

    public static async Task<bool> SetStatusAsync(UnitOfWork uow, string number, CertificateStatus status, string? reason, DateTimeOffset now) =>
        await uow.ExecuteAsync(SetStatusSql, new { Number = number, Status = status.ToString(), Reason = reason, Now = now }) == 1;
}
