using System.Security.Claims;
using Dapper;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Participants;

/// <summary>
/// <c>GET /catalog/participants/{id}/history</c>: every change to a participant, oldest first. The participant
/// sees its own; operators see any, and also which operator acted.
/// </summary>
internal static class ParticipantHistory
{
    private const string HistorySql = """
        SELECT version, action, detail, actor_id, occurred_at
        FROM catalog.participant_history WHERE participant_id = @Id ORDER BY version
        """;

    public static async Task<Results<Ok<IReadOnlyList<ParticipantHistoryEntry>>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal user, CatalogDb db, CancellationToken ct)
    {
        if (!user.MaySee(id))
        {
            return Problems.NotFound("The participant");
        }

        await using var connection = await db.OpenAsync(ct);
        var entries = (await connection.QueryAsync<ParticipantHistoryEntry>(HistorySql, new { Id = id })).AsList();
        if (entries.Count == 0)
        {
            return Problems.NotFound("The participant");
        }

        var operatorView = user.IsOperator();
        return TypedResults.Ok<IReadOnlyList<ParticipantHistoryEntry>>(
            [.. entries.Select(e => operatorView ? e : e with { ActorId = null })]);
    }
}

public sealed record ParticipantHistoryEntry
{
    public int Version { get; init; }

    public string Action { get; init; } = "";

    public string? Detail { get; init; }

    public Guid? ActorId { get; init; }

    public DateTimeOffset OccurredAt { get; init; }
}
