using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Marketplace.Rights.Delivery.Blobs;
using Marketplace.Rights.Products;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Marketplace.Rights.Delivery.Files;

/// <summary>
/// <c>POST /rights/products/{productId}/files</c> (the product's provider): the files of the product's data as
/// <c>multipart/form-data</c>, one part per file named by its file name. Each is streamed into the blob store and
/// hashed on the way (never held whole); then the manifest is built (<see cref="FileManifest"/>) and its SHA-256 must
/// equal the fingerprint the listing and its rights registration carry, or the upload is refused with both digests —
/// so a buyer receives exactly the data whose rights were registered. The set is recorded once per manifest; sending
/// the same set again answers it.
/// </summary>
internal static class UploadFiles
{
    public static async Task<Results<Created<DeliverySetResponse>, Ok<DeliverySetResponse>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid productId, HttpRequest request, ClaimsPrincipal user, RightsDb db, GroupCommitter<RightsDb> committer, IBlobStore blobs,
        IOptions<DeliverySettings> options, TimeProvider time, CancellationToken ct)
    {
        KnownProduct? product;
        await using (var read = await db.ReadAsync(ct))
        {
            product = await ProductDirectory.FindAsync(read, productId);
        }

        if (product is null || product.OwnerId != user.ParticipantId())
        {
            return Problems.NotFound("The product");
        }

        if (!product.Delivers(DeliveryMethod.File))
        {
            return Unprocessable("method-not-offered", $"The listing does not deliver files (it offers {product.DeliveryMethods}).");
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 70 } boundary)
        {
            return TypedResults.Problem("Send the files as multipart/form-data, one part per file.", statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type");
        }

        // Files are bounded one by one (MaxFileBytes) and in number, not by the request's overall body limit.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var settings = options.Value;
        var files = new List<(string Name, StoredBlob Blob)>();
        var reader = new MultipartReader(boundary, request.Body);
        while (await NextAsync(reader, ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
            {
                continue;
            }

            var name = (disposition.FileNameStar.HasValue ? disposition.FileNameStar : HeaderUtilities.RemoveQuotes(disposition.FileName)).Value;
            var field = $"files[{files.Count}]";
            if (FileManifest.NameProblem(name) is { } problem)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [problem] });
            }

            if (files.Any(f => f.Name == name))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"'{name}' is sent twice."] });
            }

            if (files.Count == settings.MaxFilesPerUpload)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["files"] = [$"At most {settings.MaxFilesPerUpload} files a manifest."] });
            }

            try
            {
                files.Add((name!, await blobs.PutAsync(new ClientBody(section.Body), settings.MaxFileBytes, ct)));
            }
            catch (BlobTooLargeException e)
            {
                return TypedResults.Problem($"'{name}' is larger than {e.MaxBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "File too large", extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [e.Message] } });
            }
        }

        if (files.Count == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["files"] = ["Send at least one file."] });
        }

        var manifest = FileManifest.Text(files.Select(f => (f.Name, f.Blob.Sha256)));
        var fingerprint = FileManifest.Sha256(manifest);
        if (!fingerprint.Equals(product.ManifestSha256, StringComparison.OrdinalIgnoreCase))
        {
            return Unprocessable("manifest-mismatch",
                $"The files' manifest has SHA-256 {fingerprint}; the listing and its rights registration name {product.ManifestSha256}.",
                new() { ["expected"] = product.ManifestSha256, ["actual"] = fingerprint, ["manifest"] = manifest });
        }

        var (set, created) = await committer.RunAsync(
            async uow =>
            {
                var existing = await DeliveryFiles.SetAsync(uow, productId, fingerprint);
                if (existing.Count > 0)
                {
                    return (existing, false);
                }

                var now = time.GetUtcNow();
                var rows = files.Select(f => new DeliveryFile
                {
                    Id = Guid.CreateVersion7(now), ProductId = productId, ManifestSha256 = fingerprint, Name = f.Name, Size = f.Blob.Size,
                    Sha256 = f.Blob.Sha256, UploadedBy = user.ParticipantId()!.Value, UploadedAt = now,
                }).ToList();
                foreach (var row in rows)
                {
                    await DeliveryFiles.InsertAsync(uow, row);
                }

                return ((IReadOnlyList<DeliveryFile>)rows, true);
            },
            ct);
        var response = new DeliverySetResponse(productId, fingerprint, manifest, [.. set.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => new DeliveryFileResponse(f.Name, f.Size, f.Sha256, null, null))]);
        return created ? TypedResults.Created($"/rights/products/{productId}/files", response) : TypedResults.Ok(response);
    }

    /// <summary>The next part; a body that is not well-formed multipart is the client's error, not the server's.</summary>
    private static async Task<MultipartSection?> NextAsync(MultipartReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.ReadNextSectionAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new BadHttpRequestException($"The multipart body is malformed: {e.Message}", StatusCodes.Status400BadRequest, e);
        }
    }

    private static ProblemHttpResult Unprocessable(string reason, string detail, Dictionary<string, object?>? more = null)
    {
        var extensions = more ?? [];
        extensions["reason"] = reason;
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Cannot deliver these files", extensions: extensions);
    }
}

/// <summary>A part's body: a read that fails because the multipart framing is broken is the client's 400, not a 500.</summary>
internal sealed class ClientBody(Stream inner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or IOException && e is not BadHttpRequestException)
        {
            throw new BadHttpRequestException($"The multipart body is malformed: {e.Message}", StatusCodes.Status400BadRequest, e);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
