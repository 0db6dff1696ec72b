namespace Marketplace.Contracts.Catalog;

/// <summary>An operator lifted a participant's suspension.</summary>
public sealed record ParticipantReinstated(
    Guid ParticipantId,
    int Version,
    DateTimeOffset ReinstatedAt);
