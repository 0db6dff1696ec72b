using System.Globalization;
using System.Security.Claims;
using System.Text;
using Dapper;
using FluentValidation;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Settlement.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Settlement.Statements;

/// <summary>
/// <c>GET /settlement/participants/{id}/statement?from=&amp;to=&amp;after=&amp;limit=</c>: the opening and closing balances
/// per currency of the period [from, to) and the postings on the participant's accounts in it, keyset-paginated; with <c>format=csv</c> every posting in
/// the range as CSV. The participant's own, or any for operators.
/// </summary>
internal static class GetStatement
{
    private const string BalancesSql = """
        SELECT kind, currency, balance FROM settlement.accounts WHERE owner_id = @OwnerId
        """;

    /// <summary>Each account's balance at an instant: the sum of its postings before it (IX_postings_account).</summary>
    private const string BalancesAtSql = """
        SELECT a.kind, a.currency,
               COALESCE((SELECT SUM(p.amount) FROM settlement.postings p WHERE p.account_id = a.id AND p.created_at < @At), 0) AS balance
        FROM settlement.accounts a WHERE a.owner_id = @OwnerId
        """;

    private const string Filter = """
        FROM settlement.postings p
        JOIN settlement.accounts a ON a.id = p.account_id
        JOIN settlement.entries e ON e.id = p.entry_id
        WHERE a.owner_id = @OwnerId AND p.seq > @After
          AND (@From IS NULL OR p.created_at >= @From) AND (@To IS NULL OR p.created_at < @To)
        ORDER BY p.seq
        """;

    private const string Columns = """
        p.seq, p.entry_id, e.kind AS entry_kind, e.description, a.kind AS account_kind, p.currency, p.amount,
        p.balance_after, p.created_at
        """;

    private const string PageSqlServer = $"""
        SELECT TOP (@Take) {Columns}
        {Filter}
        """;

    private const string PageSqlite = $"""
        SELECT {Columns}
        {Filter}
        LIMIT @Take
        """;

    private const string AllSql = $"""
        SELECT {Columns}
        {Filter}
        """;

    public static async Task<Results<Ok<StatementResponse>, PushStreamHttpResult, ProblemHttpResult>> Handle(
        Guid id, [AsParameters] StatementQuery query, ClaimsPrincipal user, SettlementDb db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var accounts = user.MaySee(id)
            ? (await connection.QueryAsync<(string Kind, string Currency, long Balance)>(BalancesSql, new { OwnerId = id })).AsList()
            : [];
        if (accounts.Count == 0)
        {
            // Someone else's statement, or a participant without accounts: not found, in either format.
            return Problems.NotFound("The participant's statement");
        }

        var filter = new { OwnerId = id, After = 0L, From = query.From?.ToUniversalTime(), To = query.To?.ToUniversalTime(), Take = 0 };
        if (string.Equals(query.Format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Stream(
                async stream =>
                {
                    await using var csvConnection = await db.OpenAsync(ct);
                    await WriteCsvAsync(stream, csvConnection.QueryUnbufferedAsync<StatementLine>(AllSql, filter));
                },
                "text/csv; charset=utf-8",
                $"statement-{id}.csv");
        }

        Cursor.TryDecode(query.After, out var after);
        var take = query.Limit ?? Cursor.DefaultPageSize;
        var rows = (await connection.QueryAsync<StatementLine>(
            db.Sql(PageSqlServer, PageSqlite), filter with { After = after, Take = take + 1 })).AsList();
        var from = query.From?.ToUniversalTime();
        var to = query.To?.ToUniversalTime();
        var opening = from is null ? accounts.Select(a => (a.Kind, a.Currency, Balance: 0L)).AsList() : await AtAsync(connection, id, from.Value);
        var closing = to is null ? accounts : await AtAsync(connection, id, to.Value);
        return TypedResults.Ok(new StatementResponse(id, from, to, ByCurrency(opening), ByCurrency(closing), Cursor.ToPage(rows, take, r => r.Seq, r => r)));
    }

    private static async Task<List<(string Kind, string Currency, long Balance)>> AtAsync(System.Data.Common.DbConnection connection, Guid owner, DateTimeOffset at) =>
        (await connection.QueryAsync<(string Kind, string Currency, long Balance)>(BalancesAtSql, new { OwnerId = owner, At = at })).AsList();

    private static IReadOnlyList<Balances> ByCurrency(IEnumerable<(string Kind, string Currency, long Balance)> accounts) =>
        [.. accounts.GroupBy(a => a.Currency).Select(g => Balances.Of(g.Key, g.ToDictionary(a => a.Kind, a => a.Balance)))];

    private static async Task WriteCsvAsync(Stream stream, IAsyncEnumerable<StatementLine> lines)
    {
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        await writer.WriteLineAsync("posted_at,entry_id,entry_kind,account,currency,amount,balance_after,description");
        await foreach (var l in lines)
        {
            await writer.WriteLineAsync(string.Join(',',
                l.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                l.EntryId.ToString("D"),
                Csv(l.EntryKind),
                Csv(l.AccountKind),
                l.Currency,
                l.Amount.ToString(CultureInfo.InvariantCulture),
                l.BalanceAfter.ToString(CultureInfo.InvariantCulture),
                Csv(l.Description ?? "")));
        }
    }

    /// <summary>RFC 4180 quoting; a leading formula character is neutralised so a spreadsheet never evaluates it.</summary>
    private static string Csv(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal))
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}

public sealed record StatementQuery(DateTimeOffset? From, DateTimeOffset? To, string? After, int? Limit, string? Format);

internal sealed class StatementQueryValidator : AbstractValidator<StatementQuery>
{
    public StatementQueryValidator()
    {
        RuleFor(q => q.To).GreaterThan(q => q.From).When(q => q.From is not null && q.To is not null);
        RuleFor(q => q.After).Must(a => Cursor.TryDecode(a, out _)).WithMessage("Not a cursor this statement returned.");
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxPageSize);
        RuleFor(q => q.Format).Must(f => f is null || f.Equals("csv", StringComparison.OrdinalIgnoreCase) || f.Equals("json", StringComparison.OrdinalIgnoreCase))
            .WithMessage("Format must be 'json' or 'csv'.");
    }
}

/// <summary>
/// A participant's statement for [<see cref="From"/>, <see cref="To"/>): the balances at its opening (zero without a
/// start) and at its close (now without an end), and the postings between, which take the one to the other.
/// </summary>
public sealed record StatementResponse(
    Guid ParticipantId, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<Balances> Opening, IReadOnlyList<Balances> Closing, Page<StatementLine> Postings);

/// <summary>
/// A participant's money in one currency: <c>available</c> to spend or withdraw, <c>pending</c> held by open holds,
/// <c>payable</c> proceeds awaiting the dispute window, and <c>posted</c> — all three together.
/// </summary>
public sealed record Balances(string Currency, long Available, long Pending, long Payable, long Posted)
{
    public static Balances Of(string currency, IReadOnlyDictionary<string, long> byKind)
    {
        var available = byKind.GetValueOrDefault(nameof(AccountKind.Available));
        var pending = byKind.GetValueOrDefault(nameof(AccountKind.Held));
        var payable = byKind.GetValueOrDefault(nameof(AccountKind.Payable));
        return new Balances(currency, available, pending, payable, available + pending + payable);
    }
}

public sealed record StatementLine
{
    [System.Text.Json.Serialization.JsonIgnore]
    public long Seq { get; init; }

    public Guid EntryId { get; init; }

    public string EntryKind { get; init; } = "";

    public string? Description { get; init; }

    public string AccountKind { get; init; } = "";

    public string Currency { get; init; } = "";

    public long Amount { get; init; }

    public long BalanceAfter { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
