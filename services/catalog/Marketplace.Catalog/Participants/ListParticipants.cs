using Dapper;
using FluentValidation;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Participants;

/// <summary>
/// <c>GET /catalog/participants</c> (operator): filter by status, role, jurisdiction and a name fragment or exact
/// credit code; keyset pagination over <c>seq</c> (admission order).
/// </summary>
internal static class ListParticipants
{
    private const string Filter = """
        WHERE seq > @After
          AND (@Status IS NULL OR status = @Status)
          AND (@Jurisdiction IS NULL OR jurisdiction = @Jurisdiction)
          AND (@Role = 0 OR (roles & @Role) <> 0)
          AND (@Q IS NULL OR name LIKE @NameLike ESCAPE '\' OR credit_code = @Q)
        ORDER BY seq
        """;

    private const string ListSqlServer = $"""
        SELECT TOP (@Take) {ParticipantStore.Columns} FROM catalog.participants
        {Filter}
        OPTION (RECOMPILE)
        """;

    private const string ListSqlite = $"""
        SELECT {ParticipantStore.Columns} FROM catalog.participants
        {Filter}
        LIMIT @Take
        """;

    public static async Task<Ok<Page<ParticipantResponse>>> Handle(
        [AsParameters] ListParticipantsQuery query, CatalogDb db, CancellationToken ct)
    {
        Cursor.TryDecode(query.After, out var after);
        var take = query.Limit ?? Cursor.DefaultPageSize;
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Participant>(db.Sql(ListSqlServer, ListSqlite), new
        {
            After = after,
            Status = Canonical<ParticipantStatus>(query.Status),
            Jurisdiction = Canonical<Jurisdiction>(query.Jurisdiction),
            Role = query.Role is null ? 0 : (int)Enum.Parse<ParticipantRoles>(query.Role, ignoreCase: true),
            Q = string.IsNullOrWhiteSpace(query.Q) ? null : query.Q.Trim(),
            NameLike = string.IsNullOrWhiteSpace(query.Q) ? null : "%" + EscapeLike(query.Q.Trim()) + "%",
            Take = take + 1,
        })).AsList();
        return TypedResults.Ok(Cursor.ToPage(rows, take, r => r.Seq, r => r.ToResponse()));
    }

    private static string? Canonical<TEnum>(string? value)
        where TEnum : struct, Enum =>
        value is null ? null : Enum.Parse<TEnum>(value, ignoreCase: true).ToString();

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal)
            .Replace("[", "\\[", StringComparison.Ordinal);
}

public sealed record ListParticipantsQuery(string? Status, string? Role, string? Jurisdiction, string? Q, string? After, int? Limit);

internal sealed class ListParticipantsQueryValidator : AbstractValidator<ListParticipantsQuery>
{
    public ListParticipantsQueryValidator()
    {
        RuleFor(q => q.Status).IsEnumName(typeof(ParticipantStatus), caseSensitive: false);
        RuleFor(q => q.Role).Must(r => r is null || r.Equals("provider", StringComparison.OrdinalIgnoreCase) || r.Equals("buyer", StringComparison.OrdinalIgnoreCase))
            .WithMessage("Role must be 'provider' or 'buyer'.");
        RuleFor(q => q.Jurisdiction).IsEnumName(typeof(Jurisdiction), caseSensitive: false);
        RuleFor(q => q.Q).MaximumLength(100);
        RuleFor(q => q.After).Must(a => Cursor.TryDecode(a, out _)).WithMessage("Not a cursor this list returned.");
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxPageSize);
    }
}
