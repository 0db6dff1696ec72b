using System.Security.Cryptography;
using System.Text;
using Marketplace.BuildingBlocks.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marketplace.BuildingBlocks.Signing;

/// <summary>
/// The exchange's signature on the documents a service issues (registration certificates, trade vouchers): ECDSA
/// P-256 with .NET's own cryptography over the document's exact bytes, SHA-256, IEEE P1363 (r‖s), base64. In
/// Production the private key comes from the configuration key the service names (base64 PKCS#8, from a secret
/// store) and is required; elsewhere a key is generated once and kept in the service's database, so documents stay
/// verifiable across restarts. Every key's public half is kept in <c>{schema}.signing_keys</c> by its id (the first
/// 16 hex digits of the SHA-256 of its SubjectPublicKeyInfo), so documents signed before a rotation still verify.
/// No library does this: it is a few calls into System.Security.Cryptography plus the keys table.
/// </summary>
public sealed class ExchangeSigner<TDb>(
    TDb db, GroupCommitter<TDb> committer, SigningKeySetting configured, IHostEnvironment environment, TimeProvider time, ILogger<ExchangeSigner<TDb>> logger)
    : IHostedService, IDisposable
    where TDb : ServiceDb
{
    private const string LatestGeneratedSql = """
        SELECT key_id, public_key, private_key, created_at FROM $schema$.signing_keys
        WHERE private_key IS NOT NULL ORDER BY created_at DESC
        """;

    private const string KeysSql = "SELECT key_id, public_key, private_key, created_at FROM $schema$.signing_keys ORDER BY created_at";

    private const string InsertSql = """
        INSERT INTO $schema$.signing_keys (key_id, public_key, private_key, created_at)
        SELECT @KeyId, @PublicKey, @PrivateKey, @CreatedAt
        WHERE NOT EXISTS (SELECT 1 FROM $schema$.signing_keys WHERE key_id = @KeyId)
        """;

    private ECDsa? key;
    private string? keyId;

    /// <summary>
    /// A serving host without its key in Production refuses to start (<c>--migrate-only</c> starts no hosted service,
    /// so it needs none). The key is loaded — or, outside Production, created — now if the database answers, else on
    /// first use; the service's readiness reports the database meanwhile.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        RequireKeyInProduction();
        try
        {
            (keyId, key) = await committer.RunAsync(LoadAsync, cancellationToken);
        }
        catch (System.Data.Common.DbException ex)
        {
            logger.LogWarning(ex, "The {Schema} signing key could not be loaded at start; it will be on first use", db.Schema);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Signs with the key loaded at start; if the database did not answer then, the key is loaded (or created) in the
    /// caller's transaction and not kept, so a created key is stored exactly when the certificate it signed is.
    /// </summary>
    public async Task<(string KeyId, string Signature)> SignAsync(UnitOfWork uow, string payload)
    {
        var (id, ecdsa) = key is not null ? (keyId!, key) : await LoadAsync(uow);
        using var owned = ecdsa == key ? null : ecdsa;
        var signature = ecdsa.SignData(Encoding.UTF8.GetBytes(payload), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return (id, Convert.ToBase64String(signature));
    }

    public async Task<bool> VerifyAsync(UnitOfWork uow, string keyId, string payload, string signature)
    {
        var published = (await PublicKeysAsync(uow)).FirstOrDefault(k => k.KeyId == keyId);
        if (published is null)
        {
            return false;
        }

        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(published.SubjectPublicKeyInfo), out _);
        var bytes = new byte[signature.Length];
        return Convert.TryFromBase64String(signature, bytes, out var length)
            && ecdsa.VerifyData(Encoding.UTF8.GetBytes(payload), bytes.AsSpan(0, length), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public async Task<IReadOnlyList<VerificationKey>> PublicKeysAsync(UnitOfWork uow)
    {
        var rows = await uow.QueryAsync<KeyRow>(For(KeysSql));
        return [.. rows.Select(r => new VerificationKey(r.KeyId, "ECDSA P-256 (secp256r1), SHA-256, IEEE P1363 signature", r.PublicKey, Pem(r.PublicKey), r.CreatedAt))];
    }

    public void Dispose() => key?.Dispose();

    private async Task<(string, ECDsa)> LoadAsync(UnitOfWork uow)
    {
        RequireKeyInProduction();
        var ecdsa = ECDsa.Create();
        string? privateToStore = null;
        if (configured.Value is { Length: > 0 } pkcs8)
        {
            ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(pkcs8), out _);
        }
        else if ((await uow.QueryAsync<KeyRow>(For(LatestGeneratedSql))).FirstOrDefault() is { } stored)
        {
            ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(stored.PrivateKey!), out _);
        }
        else
        {
            ecdsa.GenerateKey(ECCurve.NamedCurves.nistP256);
            privateToStore = Convert.ToBase64String(ecdsa.ExportPkcs8PrivateKey());
        }

        var spki = ecdsa.ExportSubjectPublicKeyInfo();
        var id = Convert.ToHexStringLower(SHA256.HashData(spki))[..16];
        await uow.ExecuteAsync(For(InsertSql), new { KeyId = id, PublicKey = Convert.ToBase64String(spki), PrivateKey = privateToStore, CreatedAt = time.GetUtcNow() });
        return (id, ecdsa);
    }

    private void RequireKeyInProduction()
    {
        if (environment.IsProduction() && string.IsNullOrEmpty(configured.Value))
        {
            throw new InvalidOperationException($"{configured.Name} (base64 PKCS#8 of an ECDSA P-256 key) is required in Production.");
        }
    }

    private string For(string sql) => sql.Replace("$schema$", db.Schema, StringComparison.Ordinal);

    private static string Pem(string spkiBase64) => new(PemEncoding.Write("PUBLIC KEY", Convert.FromBase64String(spkiBase64)));

    private sealed record KeyRow
    {
        public string KeyId { get; init; } = "";

        public string PublicKey { get; init; } = "";

        public string? PrivateKey { get; init; }

        public DateTimeOffset CreatedAt { get; init; }
    }
}

/// <summary>A public key the exchange's documents are verified with; <see cref="Pem"/> is what <c>openssl</c> reads.</summary>
public sealed record VerificationKey(string KeyId, string Algorithm, string SubjectPublicKeyInfo, string Pem, DateTimeOffset CreatedAt);

public static class ExchangeSigning
{
    /// <summary>Registers the service's signer, its key taken from <paramref name="configurationKey"/>, loaded when the host starts.</summary>
    /// <summary>
    /// <c>GET {pattern}</c>, anonymous: every public key the service has signed with, so anyone can verify its documents
    /// offline. A read: it takes the snapshot, not the writer.
    /// </summary>
    public static RouteHandlerBuilder MapVerificationKeys<TDb>(this IEndpointRouteBuilder routes, string pattern)
        where TDb : ServiceDb =>
        routes.MapGet(pattern, async (ExchangeSigner<TDb> signer, TDb db, CancellationToken ct) =>
        {
            await using var uow = await db.ReadAsync(ct);
            return TypedResults.Ok(await signer.PublicKeysAsync(uow));
        }).AllowAnonymous();

    /// <summary>Registers the service's signer with its key, read once here from <paramref name="configurationKey"/>.</summary>
    public static WebApplicationBuilder AddExchangeSigner<TDb>(this WebApplicationBuilder builder, string configurationKey)
        where TDb : ServiceDb
    {
        var key = new SigningKeySetting(configurationKey, builder.Configuration[configurationKey]);
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ExchangeSigner<TDb>>(sp, key));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ExchangeSigner<TDb>>());
        return builder;
    }
}

/// <summary>The setting that holds a signer's private key (base64 PKCS#8), by name for the messages, and its value if set.</summary>
public sealed record SigningKeySetting(string Name, string? Value);
