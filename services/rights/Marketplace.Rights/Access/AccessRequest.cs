namespace Marketplace.Rights.Access;

public enum AccessRequestStatus
{
    AwaitingProvider,
    Approved,
    Rejected,

    /// <summary>The provider did not decide before the deadline (the order is rejected with <c>provider-approval-lapsed</c>).</summary>
    Lapsed,

    /// <summary>The order ended (cancelled by the buyer, failed) before the provider decided.</summary>
    Withdrawn,
}

/// <summary>An access decision waiting for the provider's approval, and how it ended.</summary>
public sealed record AccessRequest
{
    public long Seq { get; init; }

    public Guid OrderId { get; init; }

    public Guid BuyerId { get; init; }

    public Guid ProductId { get; init; }

    public Guid ProviderId { get; init; }

    public string Purpose { get; init; } = "";

    public bool Exclusive { get; init; }

    public AccessRequestStatus Status { get; init; }

    public string? Reason { get; init; }

    public DateTimeOffset Deadline { get; init; }

    public Guid? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
