using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Rights.Delivery.Files;

/// <summary>A file of a product's delivered set: its name, size and SHA-256 (its address in the blob store).</summary>
public sealed record DeliveryFile
{
    public long Seq { get; init; }

    public Guid Id { get; init; }

    public Guid ProductId { get; init; }

    public string ManifestSha256 { get; init; } = "";

    public string Name { get; init; } = "";

    public long Size { get; init; }

    public string Sha256 { get; init; } = "";

    public Guid UploadedBy { get; init; }

    public DateTimeOffset UploadedAt { get; init; }
}

/// <summary>The files uploaded for each (product, manifest): what is delivered is the set whose manifest the listing names now.</summary>
internal static class DeliveryFiles
{
    private const string Columns = "seq, id, product_id, manifest_sha256, name, size, sha256, uploaded_by, uploaded_at";

    private const string SetSql = $"""
        SELECT {Columns} FROM rights.delivery_files WHERE product_id = @ProductId AND manifest_sha256 = @Manifest ORDER BY name
        """;

    private const string FileSql = $"""
        SELECT {Columns} FROM rights.delivery_files WHERE product_id = @ProductId AND manifest_sha256 = @Manifest AND sha256 = @Sha256
        """;

    private const string InsertSql = """
        INSERT INTO rights.delivery_files (id, product_id, manifest_sha256, name, size, sha256, uploaded_by, uploaded_at)
        VALUES (@Id, @ProductId, @ManifestSha256, @Name, @Size, @Sha256, @UploadedBy, @UploadedAt)
        """;

    public static async Task<IReadOnlyList<DeliveryFile>> SetAsync(UnitOfWork uow, Guid productId, string manifest) =>
        [.. await uow.QueryAsync<DeliveryFile>(SetSql, new { ProductId = productId, Manifest = manifest })];

    /// <summary>The file with that digest in the set (the first by name when two names share one content).</summary>
    public static async Task<DeliveryFile?> FindAsync(UnitOfWork uow, Guid productId, string manifest, string sha256) =>
        (await uow.QueryAsync<DeliveryFile>(FileSql, new { ProductId = productId, Manifest = manifest, Sha256 = sha256 })).MinBy(f => f.Name, StringComparer.Ordinal);

    public static Task InsertAsync(UnitOfWork uow, DeliveryFile file) => uow.ExecuteAsync(InsertSql, file);
}

/// <summary>A file as its owner or licensee sees it; the licensee's carries a signed link that works without a token.</summary>
public sealed record DeliveryFileResponse(string Name, long Size, string Sha256, string? DownloadUrl, DateTimeOffset? LinkExpiresAt);

/// <summary>A product's delivered set: the manifest (text and fingerprint) and its files.</summary>
public sealed record DeliverySetResponse(Guid ProductId, string ManifestSha256, string Manifest, IReadOnlyList<DeliveryFileResponse> Files);
