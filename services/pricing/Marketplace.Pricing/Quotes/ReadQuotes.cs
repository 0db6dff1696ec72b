using System.Security.Claims;
using Dapper;
using FluentValidation;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Pricing.Quotes;

/// <summary>
/// <c>GET /pricing/quotes/{id}</c> and <c>GET /pricing/quotes?orderId=&amp;after=&amp;limit=</c>: a quote is seen by its
/// buyer, the product's provider and operators; anyone else is told it does not exist.
/// </summary>
internal static class ReadQuotes
{
    private const string FindSql = $"SELECT {QuoteStore.Columns} FROM pricing.quotes WHERE id = @Id";

    private const string Filter = """
        WHERE seq > @After
          AND (@Caller IS NULL OR buyer_id = @Caller OR seller_id = @Caller)
          AND (@OrderId IS NULL OR order_id = @OrderId)
        ORDER BY seq
        """;

    private const string ListSqlServer = $"SELECT TOP (@Take) {QuoteStore.Columns} FROM pricing.quotes {Filter} OPTION (RECOMPILE)";

    private const string ListSqlite = $"SELECT {QuoteStore.Columns} FROM pricing.quotes {Filter} LIMIT @Take";

    public static async Task<Results<Ok<QuoteResponse>, ProblemHttpResult>> Get(
        Guid id, ClaimsPrincipal user, PricingDb db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var quote = await connection.QuerySingleOrDefaultAsync<Quote>(FindSql, new { Id = id });
        return quote is null || !(user.MaySee(quote.BuyerId) || user.MaySee(quote.SellerId))
            ? Problems.NotFound("The quote")
            : TypedResults.Ok(quote.ToResponse(time.GetUtcNow()));
    }

    public static async Task<Ok<Page<QuoteResponse>>> List(
        [AsParameters] ListQuotesQuery query, ClaimsPrincipal user, PricingDb db, TimeProvider time, CancellationToken ct)
    {
        Cursor.TryDecode(query.After, out var after);
        var take = query.Limit ?? Cursor.DefaultPageSize;
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Quote>(db.Sql(ListSqlServer, ListSqlite), new
        {
            After = after,
            Caller = user.IsOperator() ? null : user.ParticipantId(),
            query.OrderId,
            Take = take + 1,
        })).AsList();
        var now = time.GetUtcNow();
        return TypedResults.Ok(Cursor.ToPage(rows, take, q => q.Seq, q => q.ToResponse(now)));
    }
}

public sealed record ListQuotesQuery(Guid? OrderId, string? After, int? Limit);

internal sealed class ListQuotesQueryValidator : AbstractValidator<ListQuotesQuery>
{
    public ListQuotesQueryValidator()
    {
        RuleFor(q => q.After).Must(a => Cursor.TryDecode(a, out _)).WithMessage("Not a cursor this list returned.");
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxPageSize);
    }
}
