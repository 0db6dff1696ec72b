using FluentValidation;
using Marketplace.BuildingBlocks.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Marketplace.Rights.Delivery.Api;

/// <summary>A product's API upstream as stored: its credential encrypted with ASP.NET Core Data Protection.</summary>
public sealed record ApiSource
{
    public Guid ProductId { get; init; }

    public string BaseUrl { get; init; } = "";

    /// <summary>Comma-separated HTTP methods the licence may use.</summary>
    public string Methods { get; init; } = "";

    /// <summary>Line-separated path prefixes (each starting with <c>/</c>) the licence may reach under the base URL.</summary>
    public string PathPrefixes { get; init; } = "";

    public string? CredentialHeader { get; init; }

    /// <summary>The protected credential; never returned by any endpoint.</summary>
    public string? Credential { get; init; }

    public string? RecordsHeader { get; init; }

    public int Version { get; init; }

    public Guid UpdatedBy { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public IReadOnlyList<string> MethodList => Methods.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public IReadOnlyList<string> PrefixList => PathPrefixes.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public ApiSourceResponse ToResponse() =>
        new(ProductId, BaseUrl, MethodList, PrefixList, CredentialHeader, Credential is not null, RecordsHeader, Version, UpdatedAt);
}

/// <summary>What the provider sets: the upstream's base URL, the methods and path prefixes a licence may use, the credential to inject.</summary>
public sealed record ApiSourceRequest(
    string? BaseUrl, IReadOnlyList<string>? Methods, IReadOnlyList<string>? PathPrefixes, string? CredentialHeader, string? Credential, string? RecordsHeader);

/// <summary>The upstream as its provider and operators see it: everything but the credential, which it only says is set.</summary>
public sealed record ApiSourceResponse(
    Guid ProductId, string BaseUrl, IReadOnlyList<string> Methods, IReadOnlyList<string> PathPrefixes, string? CredentialHeader, bool HasCredential,
    string? RecordsHeader, int Version, DateTimeOffset UpdatedAt);

internal sealed class ApiSourceRequestValidator : AbstractValidator<ApiSourceRequest>
{
    public static readonly string[] AllowedMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>Headers the data plane sets or strips itself; an upstream credential cannot go in them.</summary>
    private static readonly string[] Reserved =
        ["host", "connection", "content-length", "transfer-encoding", "te", "upgrade", "keep-alive", "proxy-connection", "trailer", "x-api-key", "cookie"];

    public ApiSourceRequestValidator()
    {
        RuleFor(r => r.BaseUrl).NotEmpty().MaximumLength(2000).Must(BeAnUpstream)
            .WithMessage("An absolute http or https URL with no user name, query or fragment.");
        RuleFor(r => r.Methods).Cascade(CascadeMode.Stop).NotEmpty().Must(m => m!.Count <= 6 && m.All(x => AllowedMethods.Contains(x)) && m.Distinct().Count() == m.Count)
            .WithMessage($"One or more of {string.Join(", ", AllowedMethods)}, each once (upper case).");
        RuleFor(r => r.PathPrefixes).Cascade(CascadeMode.Stop).NotEmpty().Must(p => p!.Count <= 20).WithMessage("At most 20 path prefixes.");
        RuleForEach(r => r.PathPrefixes).Cascade(CascadeMode.Stop).NotEmpty().MaximumLength(200).Must(DataPlanePath.IsPlain)
            .WithMessage("A prefix starts with '/' and has no '.' or '..' segment, '\\', '//', '%', '?' or '#'.");
        RuleFor(r => r.CredentialHeader).Cascade(CascadeMode.Stop).MaximumLength(100).Matches("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
            .Must(h => !Reserved.Contains(h!.ToLowerInvariant())).WithMessage("A header name the data plane does not set or strip itself.")
            .When(r => r.CredentialHeader is not null);
        RuleFor(r => r.Credential).Cascade(CascadeMode.Stop).NotEmpty().MaximumLength(4096).Must(c => c!.All(ch => ch is >= ' ' and <= '~'))
            .WithMessage("A header value: printable ASCII only, no line breaks.").When(r => r.Credential is not null);
        RuleFor(r => r.Credential).Null().When(r => r.CredentialHeader is null).WithMessage("Name the header it goes in (credentialHeader).");
        RuleFor(r => r.RecordsHeader).MaximumLength(100).Matches("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$").When(r => r.RecordsHeader is not null);
    }

    private static bool BeAnUpstream(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0
        && uri.Query.Length == 0 && uri.Fragment.Length == 0 && !url!.Contains('#', StringComparison.Ordinal) && !url.Contains('?', StringComparison.Ordinal);
}

/// <summary>
/// The products' upstreams: stored with the credential protected (purpose <c>Marketplace.Rights.UpstreamCredential</c>),
/// read by the data plane through a short cache (<see cref="DeliverySettings.DecisionTtl"/>, like every delivery decision).
/// </summary>
public sealed class ApiSources(RightsDb db, IDataProtectionProvider protection, IOptions<DeliverySettings> options)
{
    private const string Columns = "product_id, base_url, methods, path_prefixes, credential_header, credential, records_header, version, updated_by, updated_at";

    private const string FindSql = $"SELECT {Columns} FROM rights.delivery_api_sources WHERE product_id = @ProductId";

    private const string InsertSql = $"""
        INSERT INTO rights.delivery_api_sources ({Columns})
        VALUES (@ProductId, @BaseUrl, @Methods, @PathPrefixes, @CredentialHeader, @Credential, @RecordsHeader, @Version, @UpdatedBy, @UpdatedAt)
        """;

    private const string UpdateSql = """
        UPDATE rights.delivery_api_sources
        SET base_url = @BaseUrl, methods = @Methods, path_prefixes = @PathPrefixes, credential_header = @CredentialHeader, credential = @Credential,
            records_header = @RecordsHeader, version = @Version, updated_by = @UpdatedBy, updated_at = @UpdatedAt
        WHERE product_id = @ProductId AND version = @Expected
        """;

    private readonly IDataProtector protector = protection.CreateProtector("Marketplace.Rights.UpstreamCredential");
    private readonly DecisionCache<Guid, ApiSource> cache = new(options.Value.DecisionTtl);

    public static Task<ApiSource?> FindAsync(UnitOfWork uow, Guid productId) => uow.QuerySingleOrDefaultAsync<ApiSource>(FindSql, new { ProductId = productId });

    /// <summary>The source as the data plane uses it (cached briefly).</summary>
    public Task<ApiSource?> ForDeliveryAsync(Guid productId, CancellationToken ct) => cache.GetAsync(productId, async () =>
    {
        await using var uow = await db.ReadAsync(ct);
        return await FindAsync(uow, productId);
    });

    public string Protect(string credential) => protector.Protect(credential);

    public string Unprotect(string protectedCredential) => protector.Unprotect(protectedCredential);

    /// <summary>Writes <paramref name="source"/>: inserted when <paramref name="expected"/> is 0, else only over that version; false when it moved.</summary>
    public static async Task<bool> SaveAsync(UnitOfWork uow, ApiSource source, int expected) =>
        expected == 0 ? await uow.ExecuteAsync(InsertSql, source) == 1 : await uow.ExecuteAsync(UpdateSql, new
        {
            source.ProductId, source.BaseUrl, source.Methods, source.PathPrefixes, source.CredentialHeader, source.Credential, source.RecordsHeader,
            source.Version, source.UpdatedBy, source.UpdatedAt, Expected = expected,
        }) == 1;
}
