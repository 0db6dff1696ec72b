using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Marketplace.Rights.Delivery.Blobs;

/// <summary>
/// Blobs as objects in an S3-compatible bucket (<c>Rights:Delivery:S3:*</c>), keyed <c>{prefix}ab/abcdef…</c> by
/// digest. The digest is known only once the upload has been read, so it is spooled to a local temporary file while
/// hashing (disk, never memory) and then put under its digest: S3 makes an object visible only when its upload
/// completes, so nothing half-written can be read. Ranged reads go to the store as ranged GETs.
/// </summary>
public sealed class S3BlobStore(IAmazonS3 s3, S3StoreSettings settings) : IBlobStore
{
    public async Task<StoredBlob> PutAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        var spool = Path.Combine(Path.GetTempPath(), "marketplace-upload-" + Guid.NewGuid().ToString("N"));
        try
        {
            var blob = await HashingCopy.ToFileAsync(content, spool, maxBytes, ct);
            if (await SizeAsync(blob.Sha256, ct) is null)
            {
                await s3.PutObjectAsync(
                    new PutObjectRequest { BucketName = settings.Bucket, Key = KeyOf(blob.Sha256), FilePath = spool, UseChunkEncoding = settings.UseChunkEncoding },
                    ct);
            }

            return blob;
        }
        finally
        {
            File.Delete(spool);
        }
    }

    public async Task<long?> SizeAsync(string sha256, CancellationToken ct)
    {
        try
        {
            return (await s3.GetObjectMetadataAsync(settings.Bucket, KeyOf(sha256), ct)).ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Stream> OpenAsync(string sha256, long offset, long length, CancellationToken ct)
    {
        var key = KeyOf(sha256);
        if (length == 0)
        {
            return Stream.Null;
        }

        var response = await s3.GetObjectAsync(
            new GetObjectRequest { BucketName = settings.Bucket, Key = key, ByteRange = new ByteRange(offset, offset + length - 1) }, ct);
        return new ResponseStream(response);
    }

    private string KeyOf(string sha256) =>
        Sha256Hex.IsValid(sha256) ? $"{settings.Prefix}{sha256[..2]}/{sha256}" : throw new ArgumentException("Not a SHA-256 digest.", nameof(sha256));

    /// <summary>The client for the settings: path-style addressing and checksums only where required, as S3-compatible stores expect.</summary>
    public static IAmazonS3 Client(S3StoreSettings settings) => new AmazonS3Client(
        new BasicAWSCredentials(settings.AccessKey, settings.SecretKey),
        new AmazonS3Config
        {
            ServiceURL = settings.ServiceUrl,
            ForcePathStyle = settings.ForcePathStyle,
            AuthenticationRegion = settings.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    /// <summary>The object's body; disposing it disposes the response.</summary>
    private sealed class ResponseStream(GetObjectResponse response) : Stream
    {
        private readonly Stream body = response.ResponseStream;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => body.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => body.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            body.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                body.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary><c>Rights:Delivery:S3</c>: where the S3-compatible store is and how to sign for it.</summary>
public sealed class S3StoreSettings
{
    public string ServiceUrl { get; set; } = "http://127.0.0.1:4569";

    public string Bucket { get; set; } = "marketplace-delivery";

    /// <summary>Prepended to every key, e.g. <c>delivery/</c>, so one bucket can hold other things too.</summary>
    public string Prefix { get; set; } = "";

    public string Region { get; set; } = "us-east-1";

    public bool ForcePathStyle { get; set; } = true;

    /// <summary>aws-chunked uploads: real S3 takes them; some S3-compatible servers store the chunk signatures verbatim.</summary>
    public bool UseChunkEncoding { get; set; }

    public string AccessKey { get; set; } = "S3RVER";

    public string SecretKey { get; set; } = "S3RVER";
}
