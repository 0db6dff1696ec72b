using Dapper;
using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Catalog.Participants;

/// <summary>The participant statements more than one endpoint uses.</summary>
internal static class ParticipantStore
{
    public const string Columns = """
        seq, id, name, jurisdiction, credit_code, region, registration_number, roles, qualification, status,
        status_reason, version, admitted_at, admitted_by, updated_at
        """;

    private const string SelectByIdSql = $"""
        SELECT {Columns} FROM catalog.participants WHERE id = @Id
        """;

    private const string InsertHistorySql = """
        INSERT INTO catalog.participant_history (participant_id, version, action, detail, actor_id, occurred_at)
        VALUES (@ParticipantId, @Version, @Action, @Detail, @ActorId, @OccurredAt)
        """;

    public static Task<Participant?> FindAsync(UnitOfWork uow, Guid id) =>
        uow.QuerySingleOrDefaultAsync<Participant>(SelectByIdSql, new { Id = id });

    public static async Task<Participant?> FindAsync(CatalogDb db, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Participant>(SelectByIdSql, new { Id = id });
    }

    /// <summary>Every change is also a history row: who did what, when, at which version.</summary>
    public static Task RecordAsync(
        UnitOfWork uow, Participant participant, string action, string? detail, Guid actor, DateTimeOffset at) =>
        uow.ExecuteAsync(InsertHistorySql, new
        {
            ParticipantId = participant.Id,
            participant.Version,
            Action = action,
            Detail = detail,
            ActorId = actor,
            OccurredAt = at,
        });
}
