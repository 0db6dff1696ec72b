using System.Security.Cryptography;
using Amazon.S3;
using Marketplace.Rights.Delivery.Blobs;

namespace Marketplace.Tests.Delivery;

/// <summary>
/// What every blob store must do, run against each: the local file system and a real S3-compatible server (s3rver,
/// started by tests/run.sh; these tests fail when it is not there). Content-addressed, streamed, whole or nothing.
/// </summary>
public abstract class BlobStoreContractTests
{
    protected abstract IBlobStore Store { get; }

    [Fact]
    public async Task A_blob_is_stored_under_its_digest_and_read_back_whole_or_by_range()
    {
        var content = RandomNumberGenerator.GetBytes(300_000);
        var blob = await Store.PutAsync(new MemoryStream(content), 1_000_000, default);

        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(content)), 300_000L), (blob.Sha256, blob.Size));
        Assert.Equal(300_000L, await Store.SizeAsync(blob.Sha256, default));
        Assert.Equal(content, await ReadAsync(blob.Sha256, 0, content.Length));
        Assert.Equal(content[1_000..1_100], await ReadAsync(blob.Sha256, 1_000, 100));
        Assert.Equal(content[^7..], await ReadAsync(blob.Sha256, content.Length - 7, 7));

        // The same content again is the same blob.
        Assert.Equal(blob, await Store.PutAsync(new MemoryStream(content), 1_000_000, default));
    }

    [Fact]
    public async Task An_empty_blob_is_a_blob()
    {
        var blob = await Store.PutAsync(new MemoryStream(), 10, default);
        Assert.Equal(("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0L), (blob.Sha256, blob.Size));
        Assert.Equal(0L, await Store.SizeAsync(blob.Sha256, default));
        Assert.Empty(await ReadAsync(blob.Sha256, 0, 0));
    }

    [Fact]
    public async Task Content_past_the_limit_is_refused_and_nothing_is_stored()
    {
        var content = RandomNumberGenerator.GetBytes(2_000);
        var refused = await Assert.ThrowsAsync<BlobTooLargeException>(() => Store.PutAsync(new MemoryStream(content), 1_999, default));
        Assert.Equal(1_999, refused.MaxBytes);
        Assert.Null(await Store.SizeAsync(Convert.ToHexStringLower(SHA256.HashData(content)), default));
    }

    [Fact]
    public async Task An_upload_that_breaks_off_leaves_nothing_anyone_can_read()
    {
        var content = RandomNumberGenerator.GetBytes(500_000);
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync(new BreaksOff(content, 200_000), 1_000_000, default));
        Assert.Null(await Store.SizeAsync(Convert.ToHexStringLower(SHA256.HashData(content)), default));
        Assert.Null(await Store.SizeAsync(Convert.ToHexStringLower(SHA256.HashData(content.AsSpan(0, 200_000))), default));
    }

    [Fact]
    public async Task Only_digests_name_blobs()
    {
        Assert.Null(await Store.SizeAsync(new string('0', 64), default));
        foreach (var name in new[] { "../../etc/passwd", "ABCDEF" + new string('0', 58), new string('a', 63), "" })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => Store.SizeAsync(name, default));
        }
    }

    private async Task<byte[]> ReadAsync(string sha256, long offset, long length)
    {
        await using var stream = await Store.OpenAsync(sha256, offset, length, default);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>A client whose connection drops after <c>at</c> bytes.</summary>
    private sealed class BreaksOff(byte[] content, int at) : MemoryStream(content)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= at)
            {
                throw new IOException("The client went away.");
            }

            return await base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, at - Position)], cancellationToken);
        }
    }
}

public sealed class FileSystemBlobStoreTests : BlobStoreContractTests, IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("marketplace-blobs-").FullName;

    public FileSystemBlobStoreTests() => Store = new FileSystemBlobStore(root);

    protected override IBlobStore Store { get; }

    [Fact]
    public async Task Nothing_is_left_in_the_incoming_folder()
    {
        await Store.PutAsync(new MemoryStream(RandomNumberGenerator.GetBytes(10)), 100, default);
        await Assert.ThrowsAsync<BlobTooLargeException>(() => Store.PutAsync(new MemoryStream(RandomNumberGenerator.GetBytes(200)), 100, default));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "incoming")));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}

public sealed class S3BlobStoreTests : BlobStoreContractTests, IAsyncLifetime
{
    private readonly S3StoreSettings settings = S3Server.Settings("contract-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly IAmazonS3 client;

    public S3BlobStoreTests()
    {
        client = S3BlobStore.Client(settings);
        Store = new S3BlobStore(client, settings);
    }

    protected override IBlobStore Store { get; }

    public async Task InitializeAsync() => await client.PutBucketAsync(settings.Bucket);

    public Task DisposeAsync()
    {
        client.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The S3-compatible server tests/run.sh starts (deploy/s3.sh): s3rver on 127.0.0.1:4569 unless S3_TEST_URL says otherwise.</summary>
public static class S3Server
{
    public static string Url => Environment.GetEnvironmentVariable("S3_TEST_URL") ?? "http://127.0.0.1:4569";

    public static S3StoreSettings Settings(string bucket) => new() { ServiceUrl = Url, Bucket = bucket, Prefix = "blobs/" };
}
