namespace Marketplace.Catalog.Products;

/// <summary>Whether buyers can see the product: never listed yet, listed, suspended, or delisted for good.</summary>
public enum ListingState
{
    Unlisted,
    Listed,
    Suspended,
    Delisted,
}

/// <summary>Where the revision waiting for review stands.</summary>
public enum RevisionState
{
    Draft,
    Submitted,
    UnderReview,
}

/// <summary>A product as stored (<c>catalog.products</c>), with the content of its listed and pending revisions.</summary>
internal sealed record Product
{
    public long Seq { get; init; }

    public Guid Id { get; init; }

    public Guid OwnerId { get; init; }

    public ListingState Listing { get; init; }

    public int? ListedRevision { get; init; }

    public int? PendingRevision { get; init; }

    public RevisionState? PendingState { get; init; }

    public string? StatusReason { get; init; }

    /// <summary>The last review decision on the pending revision (checklist JSON): a rejection's reasons, item by item.</summary>
    public string? PendingReview { get; init; }

    public int Version { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public string? ListedContent { get; init; }

    public string? PendingContent { get; init; }

    /// <summary>The lifecycle as one word: before the first listing the pending revision's state, then the listing's.</summary>
    public string Status => Listing == ListingState.Unlisted ? PendingState!.Value.ToString() : Listing.ToString();

    /// <summary>The owner's and operators' view: everything, the pending revision included.</summary>
    public ProductResponse ToFullView() => new(
        Id, OwnerId, Status, Version, ListedRevision, Listed(), PendingRevision, PendingState, Pending(), StatusReason,
        PendingReview is null ? null : System.Text.Json.JsonSerializer.Deserialize<ReviewChecklist>(PendingReview, ProductContent.Json), CreatedAt, UpdatedAt);

    /// <summary>What a buyer sees: the listed revision only.</summary>
    public ProductResponse ToBuyerView() => new(
        Id, OwnerId, Status, Version, ListedRevision, Listed(), null, null, null, null, null, CreatedAt, UpdatedAt);

    private ProductContent? Listed() => ListedContent is null ? null : ProductContent.FromJson(ListedContent);

    private ProductContent? Pending() => PendingContent is null ? null : ProductContent.FromJson(PendingContent);
}

public sealed record ProductResponse(
    Guid Id,
    Guid OwnerId,
    string Status,
    int Version,
    int? ListedRevision,
    ProductContent? Listed,
    int? PendingRevision,
    RevisionState? PendingState,
    ProductContent? Pending,
    string? StatusReason,
    ReviewChecklist? PendingReview,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
