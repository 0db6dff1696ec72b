using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Settlement.Reports;

/// <summary>
/// <c>GET /settlement/reports/daily?date=yyyy-MM-dd</c> (operator): the trades settled that day (China Standard Time,
/// UTC+8) by category, grade and currency — count, gross value (the amounts before tax), fees, tax, and what was
/// refunded of them since.
/// </summary>
internal static class DailySummary
{
    private const string Sql = """
        SELECT category, grade, currency, COUNT(*) AS trades, SUM(amount) AS gross, SUM(exchange_fee) AS fees, SUM(tax) AS tax,
               SUM(refunded) AS refunded
        FROM settlement.orders
        WHERE settled_at >= @From AND settled_at < @To
        GROUP BY category, grade, currency
        ORDER BY category, grade, currency
        """;

    public static async Task<Ok<DailyReport>> Handle([AsParameters] DailyQuery query, SettlementDb db, TimeProvider time, CancellationToken ct)
    {
        var offset = TimeSpan.FromHours(8);
        var day = query.Date ?? DateOnly.FromDateTime(time.GetUtcNow().ToOffset(offset).DateTime);
        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), offset).ToUniversalTime();
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<SummaryRow>(Sql, new { From = from, To = from.AddDays(1) })).AsList();
        return TypedResults.Ok(new DailyReport(day, rows, rows.Sum(r => r.Trades)));
    }
}

public sealed record DailyQuery(DateOnly? Date);

public sealed record DailyReport(DateOnly Date, IReadOnlyList<SummaryRow> Rows, long Trades);

public sealed record SummaryRow
{
    public string Category { get; init; } = "";

    public string Grade { get; init; } = "";

    public string Currency { get; init; } = "";

    public long Trades { get; init; }

    public long Gross { get; init; }

    public long Fees { get; init; }

    public long Tax { get; init; }

    public long Refunded { get; init; }
}

internal sealed class DailyQueryValidator : AbstractValidator<DailyQuery>
{
    public DailyQueryValidator() => RuleFor(q => q.Date).Must(d => d is null || d.Value.Year is >= 2000 and <= 2100).WithMessage("A date between 2000 and 2100.");
}
