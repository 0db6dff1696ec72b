namespace Marketplace.Rights.Delivery.Blobs;

/// <summary>
/// Blobs as files under a folder (<c>Rights:Delivery:Directory</c>, by default <c>blobs</c> beside the SQLite files):
/// <c>ab/abcdef…</c> by digest. An upload is written to <c>incoming/</c>, flushed to disk, then renamed into place —
/// a rename within one file system is atomic, so a reader sees the whole file or none.
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore
{
    private readonly string root;
    private readonly string incoming;

    public FileSystemBlobStore(string root)
    {
        this.root = Path.GetFullPath(root);
        incoming = Path.Combine(this.root, "incoming");
        Directory.CreateDirectory(incoming);
    }

    public async Task<StoredBlob> PutAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        var temporary = Path.Combine(incoming, Guid.NewGuid().ToString("N"));
        try
        {
            var blob = await HashingCopy.ToFileAsync(content, temporary, maxBytes, ct);
            var path = PathOf(blob.Sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (File.Exists(path))
            {
                return blob; // the same content is stored already
            }

            File.Move(temporary, path, overwrite: true);
            return blob;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<long?> SizeAsync(string sha256, CancellationToken ct)
    {
        var file = new FileInfo(PathOf(sha256));
        return Task.FromResult<long?>(file.Exists ? file.Length : null);
    }

    public Task<Stream> OpenAsync(string sha256, long offset, long length, CancellationToken ct)
    {
        var file = new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        file.Seek(offset, SeekOrigin.Begin);
        return Task.FromResult<Stream>(new BoundedStream(file, length));
    }

    /// <summary>The file of a digest; the digest is checked to be 64 hex digits first, so no name can leave the folder.</summary>
    private string PathOf(string sha256) =>
        Sha256Hex.IsValid(sha256) ? Path.Combine(root, sha256[..2], sha256) : throw new ArgumentException("Not a SHA-256 digest.", nameof(sha256));
}

/// <summary>Lowercase hexadecimal SHA-256 digests: the only names a blob has.</summary>
public static class Sha256Hex
{
    public static bool IsValid(string? value) => value is { Length: 64 } && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}

/// <summary>At most <c>length</c> bytes of an inner stream, which it owns.</summary>
internal sealed class BoundedStream(Stream inner, long length) : Stream
{
    private long remaining = length;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (remaining <= 0)
        {
            return 0;
        }

        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, remaining)], cancellationToken);
        remaining -= read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (remaining <= 0)
        {
            return 0;
        }

        var read = inner.Read(buffer, offset, (int)Math.Min(count, remaining));
        remaining -= read;
        return read;
    }

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
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
