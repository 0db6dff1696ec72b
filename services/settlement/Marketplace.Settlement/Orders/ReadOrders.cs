using System.Globalization;
using System.Security.Claims;
using System.Text;
using Dapper;
using FluentValidation;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Settlement.Journal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Settlement.Orders;

/// <summary>
/// <c>GET /settlement/orders?participantId=&amp;productId=&amp;status=&amp;from=&amp;to=&amp;minAmount=&amp;maxAmount=&amp;after=&amp;limit=&amp;format=csv</c>:
/// operators filter every trade (and export them as CSV); a participant sees the orders it bought or sold.
/// <c>GET /settlement/orders/{id}</c>: the order with its whole timeline from the journal (every state, who, when),
/// for its buyer, its seller and operators.
/// </summary>
internal static class ReadOrders
{
    private const string Filter = """
        WHERE seq > @After
          AND (@Caller IS NULL OR buyer_id = @Caller OR seller_id = @Caller)
          AND (@ParticipantId IS NULL OR buyer_id = @ParticipantId OR seller_id = @ParticipantId)
          AND (@ProductId IS NULL OR product_id = @ProductId)
          AND (@Status IS NULL OR status = @Status)
          AND (@From IS NULL OR created_at >= @From)
          AND (@To IS NULL OR created_at < @To)
          AND (@MinAmount IS NULL OR amount >= @MinAmount)
          AND (@MaxAmount IS NULL OR amount <= @MaxAmount)
        ORDER BY seq
        """;

    private const string ListSqlServer = $"SELECT TOP (@Take) {OrderStore.Columns} FROM settlement.orders {Filter} OPTION (RECOMPILE)";

    private const string ListSqlite = $"SELECT {OrderStore.Columns} FROM settlement.orders {Filter} LIMIT @Take";

    public const int CsvLimit = 100_000;

    public static async Task<IResult> List([AsParameters] OrderQuery query, ClaimsPrincipal user, SettlementDb db, CancellationToken ct)
    {
        Cursor.TryDecode(query.After, out var after);
        var csv = string.Equals(query.Format, "csv", StringComparison.OrdinalIgnoreCase);
        var take = csv ? CsvLimit : query.Limit ?? Cursor.DefaultPageSize;
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Order>(db.Sql(ListSqlServer, ListSqlite), new
        {
            After = after,
            Caller = user.IsOperator() ? null : user.ParticipantId(),
            query.ParticipantId,
            query.ProductId,
            Status = query.Status is null ? null : Enum.Parse<OrderStatus>(query.Status, ignoreCase: true).ToString(),
            From = query.From?.ToUniversalTime(),
            To = query.To?.ToUniversalTime(),
            query.MinAmount,
            query.MaxAmount,
            Take = take + 1,
        })).AsList();
        return csv ? Results.Text(Csv(rows.Take(take)), "text/csv", Encoding.UTF8) : TypedResults.Ok(Cursor.ToPage(rows, take, o => o.Seq, o => o.ToResponse()));
    }

    /// <summary>
    /// The order and its timeline. With <c>If-None-Match</c> naming the version the caller has, an unchanged order is
    /// 304; with <c>Prefer: wait=N</c> as well, the answer waits up to N seconds for the order to change
    /// (<see cref="LongPoll"/>), so a buyer waiting for its quote or licence asks once instead of polling.
    /// </summary>
    public static async Task<Results<Ok<OrderWithTimeline>, ProblemHttpResult, StatusCodeHttpResult>> Get(
        Guid id, HttpContext http, ClaimsPrincipal user, SettlementDb db, TimeProvider time, IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        var known = ETags.IfNoneMatch(http.Request);
        var deadline = time.GetUtcNow() + (known is null ? TimeSpan.Zero : LongPoll.Wait(http.Request));
        var woken = false;
        while (true)
        {
            using var watch = known is null ? null : db.Changes.Start(id);
            await using (var uow = await db.ReadAsync(ct))
            {
                // A caller naming the version it has is mostly told that it is still current: compare the version first
                // and read the whole order only when it differs — after a wake-up it has changed, so read it whole.
                var current = known is null || woken ? null : await OrderStore.FindVersionAsync(uow, id);
                if (current is not null && current.Version == known && (user.MaySee(current.BuyerId) || user.MaySee(current.SellerId)))
                {
                    ETags.Set(http, current.Version);
                }
                else
                {
                    var order = await OrderStore.FindAsync(uow, id);
                    if (order is null || !(user.MaySee(order.BuyerId) || user.MaySee(order.SellerId)))
                    {
                        return Problems.NotFound("The order");
                    }

                    ETags.Set(http, order.Version);
                    if (order.Version != known)
                    {
                        return TypedResults.Ok(new OrderWithTimeline(order.ToResponse(), await TradeJournal.TimelineAsync(uow.Connection, id, uow.Transaction)));
                    }
                }
            }

            if (!await watch!.ChangedAsync(deadline - time.GetUtcNow(), time, ct, lifetime.ApplicationStopping))
            {
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            }

            woken = true;
        }
    }

    private static string Csv(IEnumerable<Order> orders)
    {
        var text = new StringBuilder("id,created_at,status,reason,buyer_id,seller_id,product_id,category,grade,currency,amount,exchange_fee,tax,total,refunded,settled_at,completed_at\n");
        foreach (var o in orders)
        {
            text.AppendJoin(',', o.Id, Instant(o.CreatedAt), o.Status, o.Reason, o.BuyerId, o.SellerId, o.ProductId, o.Category, o.Grade, o.Currency,
                o.Amount, o.ExchangeFee, o.Tax, o.Total, o.Refunded, Instant(o.SettledAt), Instant(o.CompletedAt)).Append('\n');
        }

        return text.ToString();
    }

    private static string? Instant(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

public sealed record OrderWithTimeline(OrderResponse Order, IReadOnlyList<TimelineEntry> Timeline);

/// <summary>One step of an order's life as the journal recorded it.</summary>
public sealed record TimelineEntry(long Position, int Version, string State, Guid? ActorId, DateTimeOffset RecordedAt, string Hash);

public sealed record OrderQuery(
    Guid? ParticipantId, Guid? ProductId, string? Status, DateTimeOffset? From, DateTimeOffset? To, long? MinAmount, long? MaxAmount,
    string? After, int? Limit, string? Format);

internal sealed class OrderQueryValidator : AbstractValidator<OrderQuery>
{
    public OrderQueryValidator()
    {
        RuleFor(q => q.Status).IsEnumName(typeof(OrderStatus), caseSensitive: false);
        RuleFor(q => q.After).Must(a => Cursor.TryDecode(a, out _)).WithMessage("Not a cursor this list returned.");
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxPageSize);
        RuleFor(q => q.To).GreaterThan(q => q.From).When(q => q.From is not null && q.To is not null).WithMessage("'to' must be after 'from'.");
        RuleFor(q => q.MaxAmount).GreaterThanOrEqualTo(q => q.MinAmount).When(q => q.MinAmount is not null && q.MaxAmount is not null);
        RuleFor(q => q.Format).Must(f => f is null || string.Equals(f, "csv", StringComparison.OrdinalIgnoreCase)).WithMessage("The only other format is csv.");
    }
}
