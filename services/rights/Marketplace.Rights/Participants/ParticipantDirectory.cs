using Dapper;
using Marketplace.Contracts.Catalog;

namespace Marketplace.Rights.Participants;

/// <summary>Reads rights' participant read model.</summary>
public static class ParticipantDirectory
{
    private const string FindSql = """
        SELECT id, name, jurisdiction, roles, qualification, status, version
        FROM rights.participants WHERE id = @Id
        """;

    public static Task<KnownParticipant?> FindAsync(Marketplace.BuildingBlocks.Data.UnitOfWork uow, Guid id) =>
        uow.QuerySingleOrDefaultAsync<KnownParticipant>(FindSql, new { Id = id });

    public static async Task<KnownParticipant?> FindAsync(RightsDb db, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<KnownParticipant>(FindSql, new { Id = id });
    }
}

public sealed record KnownParticipant
{
    public Guid Id { get; init; }

    public string Name { get; init; } = "";

    public Jurisdiction Jurisdiction { get; init; }

    public ParticipantRoles Roles { get; init; }

    public QualificationLevel? Qualification { get; init; }

    public string Status { get; init; } = "";

    public int Version { get; init; }
}
