using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using Marketplace.Contracts.Catalog;

namespace Marketplace.Catalog.Products;

/// <summary>What a provider writes about a data product (one revision of it).</summary>
public sealed record ProductContent(
    string? Title,
    string? Description,
    string? Category,
    IReadOnlyList<string>? Tags,
    DataSubject? Subject,
    DataGrade? Grade,
    string? Source,
    string? LegalityStatement,
    Coverage? Coverage,
    UpdateFrequency? UpdateFrequency,
    IReadOnlyList<SchemaField>? Schema,
    string? SampleReference,
    string? ManifestSha256,
    IReadOnlyList<DeliveryMethod>? DeliveryMethods,
    bool RequiresManualApproval,
    bool ExclusiveAllowed,
    PersonalDataDeclaration? PersonalData)
{
    /// <summary>Stored as readable JSON: Chinese text is kept as is, not \u-escaped (it is data, never HTML).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ProductContent FromJson(string json) => JsonSerializer.Deserialize<ProductContent>(json, Json)!;
}

/// <summary>The time range and regions (GB/T 2260 codes or ISO 3166) the data covers.</summary>
public sealed record Coverage(DateOnly? From, DateOnly? To, IReadOnlyList<string>? Regions);

public sealed record SchemaField(string? Name, SchemaFieldType? Type, string? Description);

public enum SchemaFieldType
{
    String,
    Integer,
    Decimal,
    Boolean,
    Date,
    DateTime,
    Json,
    Binary,
}

public enum UpdateFrequency
{
    Realtime,
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
    Once,
}

/// <summary>For personal data: how it may lawfully be traded — anonymised, or with the subjects' consent — and the evidence.</summary>
public sealed record PersonalDataDeclaration(PersonalDataBasis? Basis, string? Evidence);

public enum PersonalDataBasis
{
    Anonymised,
    Consent,
}

/// <summary>The form of every field; whether the product may be traded at all is checked at submission.</summary>
internal sealed class ProductContentValidator : AbstractValidator<ProductContent>
{
    /// <summary>The sections of GB/T 4754-2017 (国民经济行业分类), A to T.</summary>
    public static readonly string[] Categories = [.. "ABCDEFGHIJKLMNOPQRST".Select(c => c.ToString())];

    public ProductContentValidator()
    {
        RuleFor(c => c.Title).NotEmpty().MaximumLength(200);
        RuleFor(c => c.Description).NotEmpty().MaximumLength(5000);
        RuleFor(c => c.Category).NotEmpty().Must(c => Categories.Contains(c))
            .WithMessage("Category must be a GB/T 4754 section letter, A to T.");
        RuleFor(c => c.Tags).Must(t => t is null || t.Count <= 10).WithMessage("At most 10 tags.");
        RuleForEach(c => c.Tags).NotEmpty().MaximumLength(30);
        RuleFor(c => c.Subject).NotNull().IsInEnum();
        RuleFor(c => c.Grade).NotNull().IsInEnum();
        RuleFor(c => c.Source).NotEmpty().MaximumLength(2000);
        RuleFor(c => c.LegalityStatement).NotEmpty().MaximumLength(2000);
        RuleFor(c => c.Coverage).NotNull();
        RuleFor(c => c.Coverage!.To).GreaterThanOrEqualTo(c => c.Coverage!.From)
            .When(c => c.Coverage?.From is not null && c.Coverage.To is not null);
        RuleFor(c => c.Coverage!.Regions).Must(r => r is null || r.Count <= 50).WithMessage("At most 50 regions.")
            .When(c => c.Coverage is not null);
        RuleForEach(c => c.Coverage!.Regions).NotEmpty().MaximumLength(12).When(c => c.Coverage is not null);
        RuleFor(c => c.UpdateFrequency).NotNull().IsInEnum();
        RuleFor(c => c.Schema).NotEmpty().Must(s => s is null || s.Count <= 200).WithMessage("At most 200 fields.");
        RuleForEach(c => c.Schema).ChildRules(field =>
        {
            field.RuleFor(f => f.Name).NotEmpty().MaximumLength(100);
            field.RuleFor(f => f.Type).NotNull().IsInEnum();
            field.RuleFor(f => f.Description).MaximumLength(500);
        });
        RuleFor(c => c.Schema).Must(s => s!.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() == s!.Count)
            .WithMessage("Field names must be unique.").When(c => c.Schema is { Count: > 0 });
        RuleFor(c => c.SampleReference).MaximumLength(500);
        RuleFor(c => c.ManifestSha256).NotEmpty().Matches("^[0-9a-f]{64}$")
            .WithMessage("The manifest fingerprint must be a SHA-256 in lower-case hex (64 characters).");
        RuleFor(c => c.DeliveryMethods).NotEmpty()
            .Must(d => d is null || d.Distinct().Count() == d.Count).WithMessage("Delivery methods must not repeat.");
        RuleForEach(c => c.DeliveryMethods).IsInEnum();
        RuleFor(c => c.PersonalData!.Basis).NotNull().IsInEnum().When(c => c.PersonalData is not null);
        RuleFor(c => c.PersonalData!.Evidence).NotEmpty().MaximumLength(1000).When(c => c.PersonalData is not null);
    }
}

/// <summary>
/// Whether a product may be traded at all, checked when it is submitted for review: core data never; personal data
/// only with an anonymisation or consent declaration; important data only by the restricted delivery methods
/// (privacy-preserving computation, sandbox) — and each of its trades needs an operator's approval downstream.
/// </summary>
internal static class ProductRules
{
    public static readonly DeliveryMethod[] Restricted = [DeliveryMethod.PrivacyComputation, DeliveryMethod.Sandbox];

    public static Dictionary<string, string[]> Violations(ProductContent content)
    {
        var errors = new Dictionary<string, string[]>();
        if (content.Grade == DataGrade.Core)
        {
            errors["grade"] = ["Core data (核心数据) is never registered or traded."];
        }

        if (content.Subject == DataSubject.Personal && content.PersonalData is null)
        {
            errors["personalData"] = ["Personal data needs a declaration of anonymisation or of the subjects' consent."];
        }

        if (content.Grade == DataGrade.Important && content.DeliveryMethods!.Any(d => !Restricted.Contains(d)))
        {
            errors["deliveryMethods"] = ["Important data may be delivered only by privacy-preserving computation or in a sandbox."];
        }

        return errors;
    }
}
