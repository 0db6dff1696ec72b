using System.Security.Claims;
using Dapper;
using FluentValidation;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Settlement.Withdrawals;

/// <summary>
/// <c>GET /settlement/withdrawals?status=&amp;participantId=&amp;after=&amp;limit=</c>: operators see every participant's
/// (the approval queue is <c>status=pending</c>); a participant sees only its own, whatever it asks for.
/// </summary>
internal static class ListWithdrawals
{
    private const string Filter = """
        WHERE seq > @After
          AND (@Status IS NULL OR status = @Status)
          AND (@ParticipantId IS NULL OR participant_id = @ParticipantId)
        ORDER BY seq
        """;

    private const string ListSqlServer = $"""
        SELECT TOP (@Take) {WithdrawalStore.Columns} FROM settlement.withdrawals
        {Filter}
        OPTION (RECOMPILE)
        """;

    private const string ListSqlite = $"""
        SELECT {WithdrawalStore.Columns} FROM settlement.withdrawals
        {Filter}
        LIMIT @Take
        """;

    public static async Task<Ok<Page<WithdrawalResponse>>> Handle(
        [AsParameters] ListWithdrawalsQuery query, ClaimsPrincipal user, SettlementDb db, CancellationToken ct)
    {
        Cursor.TryDecode(query.After, out var after);
        var take = query.Limit ?? Cursor.DefaultPageSize;
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<WithdrawalResponse>(db.Sql(ListSqlServer, ListSqlite), new
        {
            After = after,
            Status = query.Status is null ? null : Enum.Parse<WithdrawalStatus>(query.Status, ignoreCase: true).ToString(),
            ParticipantId = user.IsOperator() ? query.ParticipantId : user.ParticipantId(),
            Take = take + 1,
        })).AsList();
        return TypedResults.Ok(Cursor.ToPage(rows, take, w => w.Seq, w => w));
    }
}

public sealed record ListWithdrawalsQuery(string? Status, Guid? ParticipantId, string? After, int? Limit);

internal sealed class ListWithdrawalsQueryValidator : AbstractValidator<ListWithdrawalsQuery>
{
    public ListWithdrawalsQueryValidator()
    {
        RuleFor(q => q.Status).IsEnumName(typeof(WithdrawalStatus), caseSensitive: false);
        RuleFor(q => q.After).Must(a => Cursor.TryDecode(a, out _)).WithMessage("Not a cursor this list returned.");
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxPageSize);
    }
}
