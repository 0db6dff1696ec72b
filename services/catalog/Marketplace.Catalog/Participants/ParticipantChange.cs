using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Participants;

/// <summary>
/// The one path every operator change to a participant takes: load, check <c>If-Match</c>, check the transition,
/// write the new state with optimistic concurrency (<c>WHERE version = @Version</c>), append a history row and
/// put the event in the outbox — all in one transaction.
/// </summary>
internal static class ParticipantChange
{
    private const string UpdateSql = """
        UPDATE catalog.participants
        SET qualification = @Qualification, status = @Status, status_reason = @StatusReason,
            version = @Version, updated_at = @UpdatedAt
        WHERE id = @Id AND version = @PreviousVersion
        """;

    /// <summary>What a change decides: the new state, the history line and the event; or a refusal.</summary>
    public sealed record Outcome(Participant? Changed, string? Detail, Func<Participant, object>? Event, ProblemHttpResult? Refusal) : IChange<Participant>
    {
        public static Outcome Refuse(ProblemHttpResult problem) => new(null, null, null, problem);

        /// <summary>Nothing to change (e.g. the level is already the requested one): answer with the current state.</summary>
        public static Outcome Unchanged { get; } = new(null, null, null, null);
    }

    private static readonly Versioned<Participant> Participants = new(
        "The participant", ParticipantStore.FindAsync, p => p.Version, (p, version, at) => p with { Version = version, UpdatedAt = at }, UpdateAsync);

    public static Task<Results<Ok<ParticipantResponse>, ProblemHttpResult>> ApplyAsync(
        Guid id,
        string action,
        Func<Participant, DateTimeOffset, Outcome> decide,
        HttpContext http,
        ClaimsPrincipal user,
        GroupCommitter<CatalogDb> committer,
        TimeProvider time,
        CancellationToken ct) =>
        VersionedChange.ApplyAsync<Participant, Outcome, ParticipantResponse>(
            committer,
            Participants,
            id,
            _ => true,
            (_, current, now) => Task.FromResult(decide(current, now)),
            async (uow, _, after, outcome, now) =>
            {
                await ParticipantStore.RecordAsync(uow, after, action, outcome.Detail, user.ParticipantId()!.Value, now);
                await uow.PublishAsync(outcome.Event!(after), now);
            },
            p => p.ToResponse(),
            http,
            time,
            ct);

    private static async Task<bool> UpdateAsync(UnitOfWork uow, Participant p, int expected) =>
        await uow.ExecuteAsync(UpdateSql, new
        {
            p.Id,
            Qualification = p.Qualification?.ToString(),
            Status = p.Status.ToString(),
            p.StatusReason,
            p.Version,
            p.UpdatedAt,
            PreviousVersion = expected,
        }) == 1;
}
