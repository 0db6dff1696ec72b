using System.Security.Cryptography;
using System.Text;
using Marketplace.BuildingBlocks.Data;
using Microsoft.Extensions.Options;

namespace Marketplace.Rights.Delivery.Keys;

/// <summary>An API key as stored: never the key itself, only its SHA-256 and the 8-character prefix it is found by.</summary>
public sealed record ApiKey
{
    public long Seq { get; init; }

    public Guid Id { get; init; }

    public Guid LicenceId { get; init; }

    public string Prefix { get; init; } = "";

    public string SecretSha256 { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public Guid? RevokedBy { get; init; }

    public ApiKeyResponse ToResponse(string? key = null) => new(Id, LicenceId, Prefix, key, CreatedAt, ExpiresAt, RevokedAt);
}

/// <summary>A key as its holder sees it; <see cref="Key"/> only in the answer that created it.</summary>
public sealed record ApiKeyResponse(Guid Id, Guid LicenceId, string Prefix, string? Key, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>
/// Licence-scoped API keys: <c>mk_{prefix}_{secret}</c>, 256 random bits, shown once; stored as the SHA-256 of the
/// whole key beside its 8-character lookup prefix and compared in constant time. A key expires with its licence and
/// can be revoked; the data plane trusts a lookup for at most <see cref="DeliverySettings.DecisionTtl"/>.
/// </summary>
public sealed class ApiKeys(RightsDb db, IOptions<DeliverySettings> options)
{
    private const string Columns = "seq, id, licence_id, prefix, secret_sha256, created_at, expires_at, revoked_at, revoked_by";

    private const string FindByPrefixSql = $"SELECT {Columns} FROM rights.delivery_keys WHERE prefix = @Prefix";

    private const string FindSql = $"SELECT {Columns} FROM rights.delivery_keys WHERE id = @Id";

    private const string ListSql = $"SELECT {Columns} FROM rights.delivery_keys WHERE licence_id = @LicenceId ORDER BY seq";

    private const string CountActiveSql = """
        SELECT COUNT(*) FROM rights.delivery_keys WHERE licence_id = @LicenceId AND revoked_at IS NULL AND expires_at > @Now
        """;

    private const string InsertSql = """
        INSERT INTO rights.delivery_keys (id, licence_id, prefix, secret_sha256, created_at, expires_at)
        VALUES (@Id, @LicenceId, @Prefix, @SecretSha256, @CreatedAt, @ExpiresAt)
        """;

    private const string RevokeSql = """
        UPDATE rights.delivery_keys SET revoked_at = @Now, revoked_by = @By WHERE id = @Id AND revoked_at IS NULL
        """;

    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    private readonly DecisionCache<string, ApiKey> cache = new(options.Value.DecisionTtl);

    public static Task<ApiKey?> FindAsync(UnitOfWork uow, Guid id) => uow.QuerySingleOrDefaultAsync<ApiKey>(FindSql, new { Id = id });

    public static async Task<IReadOnlyList<ApiKey>> ListAsync(UnitOfWork uow, Guid licenceId) => [.. await uow.QueryAsync<ApiKey>(ListSql, new { LicenceId = licenceId })];

    public static Task<long> CountActiveAsync(UnitOfWork uow, Guid licenceId, DateTimeOffset now) =>
        uow.ExecuteScalarAsync<long>(CountActiveSql, new { LicenceId = licenceId, Now = now });

    /// <summary>Makes a key for the licence; returns the stored row and the key, which exists nowhere else.</summary>
    public static async Task<(ApiKey Row, string Key)> CreateAsync(UnitOfWork uow, Guid licenceId, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var prefix = string.Concat(RandomNumberGenerator.GetItems<char>(Alphabet, 8));
        var key = $"mk_{prefix}_{Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32))}";
        var row = new ApiKey
        {
            Id = Guid.CreateVersion7(now), LicenceId = licenceId, Prefix = prefix, SecretSha256 = Hash(key), CreatedAt = now, ExpiresAt = expiresAt,
        };
        await uow.ExecuteAsync(InsertSql, row);
        return (row, key);
    }

    public static async Task<bool> RevokeAsync(UnitOfWork uow, Guid id, Guid by, DateTimeOffset now) =>
        await uow.ExecuteAsync(RevokeSql, new { Id = id, By = by, Now = now }) == 1;

    /// <summary>The key a request presents, when it is genuine, unrevoked and unexpired; else null.</summary>
    public async Task<ApiKey?> AuthenticateAsync(string? presented, DateTimeOffset now, CancellationToken ct)
    {
        if (presented is not { Length: > 12 and <= 100 } || !presented.StartsWith("mk_", StringComparison.Ordinal) || presented[11] != '_')
        {
            return null;
        }

        var prefix = presented[3..11];
        var key = await cache.GetAsync(prefix, async () =>
        {
            await using var uow = await db.ReadAsync(ct);
            return await uow.QuerySingleOrDefaultAsync<ApiKey>(FindByPrefixSql, new { Prefix = prefix });
        });
        return key is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(key.SecretSha256))
            && key.RevokedAt is null && key.ExpiresAt > now
            ? key
            : null;
    }

    /// <summary>Forgets a key this instance looked up (it was revoked here).</summary>
    public void Forget(string prefix) => cache.Forget(prefix);

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
