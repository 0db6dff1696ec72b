using System.Text.Json;
using Marketplace.Contracts.Pricing;
using Marketplace.Pricing.Plans;

namespace Marketplace.Pricing.Quotes;

public enum QuoteStatus
{
    Issued,
    Expired,
}

/// <summary>A quote as stored; never updated except for its expiry.</summary>
public sealed record Quote
{
    public long Seq { get; init; }

    public Guid Id { get; init; }

    public Guid RequestId { get; init; }

    public Guid OrderId { get; init; }

    public Guid BuyerId { get; init; }

    public Guid SellerId { get; init; }

    public Guid ProductId { get; init; }

    public Guid PlanId { get; init; }

    public int PlanRevision { get; init; }

    public string PlanTerms { get; init; } = "";

    public int FeeSchedule { get; init; }

    public long Quantity { get; init; }

    public string Currency { get; init; } = "";

    public long Amount { get; init; }

    public int FeeBps { get; init; }

    public long ExchangeFee { get; init; }

    public int VatBps { get; init; }

    public long Tax { get; init; }

    public long Total { get; init; }

    public TermUnit TermUnit { get; init; }

    public int TermLength { get; init; }

    public QuoteStatus Status { get; init; }

    public DateTimeOffset IssuedAt { get; init; }

    public DateTimeOffset ValidUntil { get; init; }

    public DateTimeOffset? ExpiredAt { get; init; }

    /// <summary>The view: a quote past its validity reads as expired even before the sweep has marked it.</summary>
    public QuoteResponse ToResponse(DateTimeOffset now) => new(
        Id, OrderId, BuyerId, SellerId, ProductId, PlanId, PlanRevision, Plans.PlanTerms.FromJson(PlanTerms), FeeSchedule, Quantity,
        Currency, Amount, FeeBps, ExchangeFee, VatBps, Tax, Total,
        TermUnit, TermLength,
        Status == QuoteStatus.Issued && ValidUntil <= now ? QuoteStatus.Expired : Status, IssuedAt, ValidUntil);
}

public sealed record QuoteResponse(
    Guid Id,
    Guid OrderId,
    Guid BuyerId,
    Guid SellerId,
    Guid ProductId,
    Guid PlanId,
    int PlanRevision,
    PlanTerms PlanTerms,
    int FeeSchedule,
    long Quantity,
    string Currency,
    long Amount,
    int FeeBps,
    long ExchangeFee,
    int VatBps,
    long Tax,
    long Total,
    TermUnit TermUnit,
    int TermLength,
    QuoteStatus Status,
    DateTimeOffset IssuedAt,
    DateTimeOffset ValidUntil);
