using System.Text.Json;
using System.Text.Json.Serialization;
using Marketplace.Contracts.Pricing;
using Marketplace.Contracts.Rights;

namespace Marketplace.Settlement.Orders;

/// <summary>An order as stored: every step's facts land in its columns; the journal keeps each version.</summary>
public sealed record Order
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public long Seq { get; init; }

    public Guid Id { get; init; }

    public Guid BuyerId { get; init; }

    public Guid SellerId { get; init; }

    public Guid ProductId { get; init; }

    public string Category { get; init; } = "";

    public string Grade { get; init; } = "";

    public Guid PlanId { get; init; }

    public long Quantity { get; init; }

    public string Purpose { get; init; } = "";

    public bool Exclusive { get; init; }

    public string RequestHash { get; init; } = "";

    public OrderStatus Status { get; init; }

    public string? Reason { get; init; }

    public string? ReasonDetail { get; init; }

    public string? CertificateNumber { get; init; }

    public string? Holders { get; init; }

    public DateTimeOffset? ApprovalDeadline { get; init; }

    public Guid? QuoteId { get; init; }

    public DateTimeOffset? QuoteValidUntil { get; init; }

    public string? Currency { get; init; }

    public long? Amount { get; init; }

    public long? ExchangeFee { get; init; }

    public long? Tax { get; init; }

    public long? Total { get; init; }

    public string? Payouts { get; init; }

    public TermUnit? TermUnit { get; init; }

    public int? TermLength { get; init; }

    public Guid? SettlementEntryId { get; init; }

    public Guid? LicenceId { get; init; }

    public DateTimeOffset? LicenceEndsAt { get; init; }

    /// <summary>What became of the licence, as rights last reported it; null until the trade completes.</summary>
    public LicenceState? LicenceStatus { get; init; }

    public DateTimeOffset? LicenceStatusAt { get; init; }

    public DateTimeOffset? SettledAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public DateTimeOffset? ReleaseAt { get; init; }

    public bool Released { get; init; }

    public long Refunded { get; init; }

    public int Version { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public IReadOnlyList<HolderShare> HolderList => Holders is null ? [] : JsonSerializer.Deserialize<List<HolderShare>>(Holders, Json)!;

    public IReadOnlyList<HolderPayout> PayoutList => Payouts is null ? [] : JsonSerializer.Deserialize<List<HolderPayout>>(Payouts, Json)!;

    /// <summary>The buyer's view: a quote that came in before rights approved stays unseen until it has.</summary>
    public OrderResponse ToResponse()
    {
        var shown = OrderLifecycle.IsApproved(Status) ? this : this with
        {
            QuoteId = null, QuoteValidUntil = null, Currency = null, Amount = null, ExchangeFee = null, Tax = null, Total = null, TermUnit = null, TermLength = null,
        };
        return shown.AsStored();
    }

    /// <summary>Every field as stored, the quote included whatever the state (what the journal records).</summary>
    internal OrderResponse AsStored() => new(
        Id, BuyerId, SellerId, ProductId, Category, Grade, PlanId, Quantity, Purpose, Exclusive, Status, Reason, ReasonDetail, CertificateNumber,
        Holders is null ? null : HolderList, ApprovalDeadline, QuoteId, QuoteValidUntil, Currency, Amount, ExchangeFee, Tax, Total,
        Payouts is null ? null : PayoutList, TermUnit, TermLength, LicenceId, LicenceEndsAt, LicenceStatus, SettledAt, CompletedAt, ReleaseAt, Released, Refunded,
        Version, CreatedAt, UpdatedAt);
}

public sealed record OrderResponse(
    Guid Id,
    Guid BuyerId,
    Guid SellerId,
    Guid ProductId,
    string Category,
    string Grade,
    Guid PlanId,
    long Quantity,
    string Purpose,
    bool Exclusive,
    OrderStatus Status,
    string? Reason,
    string? ReasonDetail,
    string? CertificateNumber,
    IReadOnlyList<HolderShare>? Holders,
    DateTimeOffset? ApprovalDeadline,
    Guid? QuoteId,
    DateTimeOffset? QuoteValidUntil,
    string? Currency,
    long? Amount,
    long? ExchangeFee,
    long? Tax,
    long? Total,
    IReadOnlyList<HolderPayout>? Payouts,
    TermUnit? TermUnit,
    int? TermLength,
    Guid? LicenceId,
    DateTimeOffset? LicenceEndsAt,
    LicenceState? LicenceStatus,
    DateTimeOffset? SettledAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? ReleaseAt,
    bool Released,
    long Refunded,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A completed trade's licence as rights reports it.</summary>
public enum LicenceState
{
    Active,
    Suspended,
    Revoked,
    Expired,
}
