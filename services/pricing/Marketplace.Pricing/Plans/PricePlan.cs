using Marketplace.Contracts.Pricing;

namespace Marketplace.Pricing.Plans;

public enum PlanStatus
{
    Published,
    Retired,
}

/// <summary>A price plan as stored: its current revision's terms (the revisions themselves are kept apart).</summary>
public sealed record PricePlan
{
    public long Seq { get; init; }

    public Guid Id { get; init; }

    public Guid ProductId { get; init; }

    public Guid OwnerId { get; init; }

    public int Revision { get; init; }

    public PlanKind Kind { get; init; }

    public string Name { get; init; } = "";

    public string Currency { get; init; } = "";

    public string Terms { get; init; } = "";

    public long FromPrice { get; init; }

    public PlanStatus Status { get; init; }

    public int Version { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public PlanResponse ToResponse() =>
        new(Id, ProductId, OwnerId, Revision, Status, PlanTerms.FromJson(Terms), FromPrice, Version, CreatedAt, UpdatedAt);
}

public sealed record PlanResponse(
    Guid Id,
    Guid ProductId,
    Guid OwnerId,
    int Revision,
    PlanStatus Status,
    PlanTerms Terms,
    long FromPrice,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>One line of a plan's history: the terms of a revision, and whether it was published or retired.</summary>
public sealed record PlanRevision
{
    public int Revision { get; init; }

    public string Action { get; init; } = "";

    public string Terms { get; init; } = "";

    public Guid ActorId { get; init; }

    public DateTimeOffset OccurredAt { get; init; }
}
