namespace Marketplace.Rights.Delivery.Blobs;

/// <summary>
/// Where delivery files live: content-addressed by their SHA-256 (lowercase hex), written whole or not at all — a
/// blob is visible under its digest only once all of it is stored, so a crash mid-upload leaves nothing a reader can
/// find. Two implementations pass the same contract tests: the local file system (the embedded default) and
/// S3-compatible object storage.
/// </summary>
public interface IBlobStore
{
    /// <summary>
    /// Streams <paramref name="content"/> into the store with a fixed buffer, computing its SHA-256 on the way; refuses
    /// (<see cref="BlobTooLargeException"/>, nothing stored) past <paramref name="maxBytes"/>.
    /// </summary>
    Task<StoredBlob> PutAsync(Stream content, long maxBytes, CancellationToken ct);

    /// <summary>The blob's size, or null when the store has no blob of that digest.</summary>
    Task<long?> SizeAsync(string sha256, CancellationToken ct);

    /// <summary>Reads <paramref name="length"/> bytes of the blob from <paramref name="offset"/>, as a stream (never buffered whole).</summary>
    Task<Stream> OpenAsync(string sha256, long offset, long length, CancellationToken ct);
}

/// <summary>A blob as stored: its digest (its address) and size.</summary>
public sealed record StoredBlob(string Sha256, long Size);

public sealed class BlobTooLargeException(long maxBytes) : Exception($"A file may be at most {maxBytes} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}

/// <summary>Copies a stream to a file while hashing it, with one fixed buffer: the write path both stores share.</summary>
internal static class HashingCopy
{
    public const int BufferSize = 81_920;

    public static async Task<StoredBlob> ToFileAsync(Stream content, string path, long maxBytes, CancellationToken ct)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        long size = 0;
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
            {
                size += read;
                if (size > maxBytes)
                {
                    throw new BlobTooLargeException(maxBytes);
                }

                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }

            await file.FlushAsync(ct);
            file.Flush(flushToDisk: true);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return new StoredBlob(Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }
}
