namespace Marketplace.Contracts.Catalog;

/// <summary>An operator suspended a participant: it may not start new trades until reinstated.</summary>
public sealed record ParticipantSuspended(
    Guid ParticipantId,
    string Reason,
    int Version,
    DateTimeOffset SuspendedAt);
