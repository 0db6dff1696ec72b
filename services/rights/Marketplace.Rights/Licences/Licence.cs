namespace Marketplace.Rights.Licences;

/// <summary>Active → Expired (by time) | Suspended (⇄ Active) | Revoked (with a reason).</summary>
public enum LicenceStatus
{
    Active,
    Suspended,
    Expired,
    Revoked,
}

/// <summary>A licence (授权许可): a bounded processing-and-use right over a product, for one purpose and term, not transferable.</summary>
public sealed record Licence
{
    public long Seq { get; init; }

    public Guid Id { get; init; }

    public Guid OrderId { get; init; }

    public Guid LicenseeId { get; init; }

    public Guid ProductId { get; init; }

    public Guid ProviderId { get; init; }

    public Guid PlanId { get; init; }

    public string Purpose { get; init; } = "";

    public DateTimeOffset StartsAt { get; init; }

    public DateTimeOffset EndsAt { get; init; }

    public long? UsageLimit { get; init; }

    public bool Exclusive { get; init; }

    public LicenceStatus Status { get; init; }

    public string? StatusReason { get; init; }

    public int Version { get; init; }

    public DateTimeOffset IssuedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>What the licence grants, in words that do not change: processing and use only, never the holding right, not transferable.</summary>
    public LicenceResponse ToResponse() => new(
        Id, OrderId, LicenseeId, ProductId, ProviderId, PlanId, Purpose, StartsAt, EndsAt, UsageLimit, Exclusive, Transferable: false,
        Right: "processing-and-use", Status, StatusReason, Version, IssuedAt, UpdatedAt);
}

public sealed record LicenceResponse(
    Guid Id,
    Guid OrderId,
    Guid LicenseeId,
    Guid ProductId,
    Guid ProviderId,
    Guid PlanId,
    string Purpose,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    long? UsageLimit,
    bool Exclusive,
    bool Transferable,
    string Right,
    LicenceStatus Status,
    string? StatusReason,
    int Version,
    DateTimeOffset IssuedAt,
    DateTimeOffset UpdatedAt);
