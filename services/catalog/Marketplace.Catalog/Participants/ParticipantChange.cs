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
    public sealed record Outcome(Participant? Changed, string? Detail, Func<Participant, object>? Event, ProblemHttpResult? Refusal)
    {
        public static Outcome Refuse(ProblemHttpResult problem) => new(null, null, null, problem);

        /// <summary>Nothing to change (e.g. the level is already the requested one): answer with the current state.</summary>
        public static Outcome Unchanged { get; } = new(null, null, null, null);
    }

    public static async Task<Results<Ok<ParticipantResponse>, ProblemHttpResult>> ApplyAsync(
        Guid id,
        string action,
        Func<Participant, DateTimeOffset, Outcome> decide,
        HttpContext http,
        ClaimsPrincipal user,
        GroupCommitter<CatalogDb> committer,
        TimeProvider time,
        CancellationToken ct)
    {
        return await committer.RunAsync<Results<Ok<ParticipantResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var current = await ParticipantStore.FindAsync(uow, id);
                if (current is null)
                {
                    return Problems.NotFound("The participant");
                }

                if (ETags.IfMatch(http.Request) is { } expected && expected != current.Version)
                {
                    return Problems.VersionMismatch(current.Version);
                }

                var now = time.GetUtcNow();
                var outcome = decide(current, now);
                if (outcome.Refusal is not null)
                {
                    return outcome.Refusal;
                }

                var result = current;
                if (outcome.Changed is { } changed)
                {
                    result = changed with { Version = current.Version + 1, UpdatedAt = now };
                    var updated = await uow.ExecuteAsync(UpdateSql, new
                    {
                        result.Id,
                        Qualification = result.Qualification?.ToString(),
                        Status = result.Status.ToString(),
                        result.StatusReason,
                        result.Version,
                        result.UpdatedAt,
                        PreviousVersion = current.Version,
                    });
                    if (updated == 0)
                    {
                        return Problems.VersionMismatch(current.Version);
                    }

                    await ParticipantStore.RecordAsync(uow, result, action, outcome.Detail, user.ParticipantId()!.Value, now);
                    await uow.PublishAsync(outcome.Event!(result), now);
                }

                ETags.Set(http, result.Version);
                return TypedResults.Ok(result.ToResponse());
            },
            ct);
    }
}
