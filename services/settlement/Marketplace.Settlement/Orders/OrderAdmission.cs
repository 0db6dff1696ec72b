using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Settlement.Orders;

/// <summary>
/// Admission control for new orders. Past the rate the exchange keeps up with, every trade waits behind the backlog
/// and all of them complete late; an exchange would rather say "not now" at once. So a new order is refused — 503
/// with <c>Retry-After</c>, nothing written — while the orders waiting on the exchange itself (Requested,
/// AwaitingQuote, Settled: waiting for rights, pricing or the licence, not for a person) number
/// <c>Settlement:Orders:MaxInProgress</c> (default 200; 0 turns the gate off). By Little's law that bounds the time an
/// admitted trade spends waiting on the exchange to about the limit divided by the throughput.
/// The gate comes before any other work, so a refusal costs next to nothing when the exchange has none to spare — a
/// replay under an <c>Idempotency-Key</c> is refused like any request and answers its order once admitted. The count
/// is read from the database at most every <c>Settlement:Orders:InProgressRefresh</c> (100 ms) and the orders
/// admitted since are added to it, so a burst between two reads cannot overshoot.
/// </summary>
public sealed class OrderAdmission(SettlementDb db, TimeProvider time, IConfiguration configuration)
{
    private readonly long limit = configuration.GetValue("Settlement:Orders:MaxInProgress", 200L);
    private readonly TimeSpan refresh = configuration.GetValue("Settlement:Orders:InProgressRefresh", TimeSpan.FromMilliseconds(100));
    private readonly Lock gate = new();
    private long counted;
    private long admittedSince;
    private DateTimeOffset countedAt = DateTimeOffset.MinValue;
    private bool reading;

    /// <summary>Null when the order may be placed; else the 503 to answer (its <c>Retry-After</c> set on <paramref name="response"/>).</summary>
    internal async Task<ProblemHttpResult?> RefuseAsync(HttpResponse response, CancellationToken ct)
    {
        if (limit <= 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        bool read;
        lock (gate)
        {
            read = !reading && now - countedAt >= refresh;
            reading |= read;
        }

        if (read)
        {
            long? fresh = null;
            try
            {
                await using var uow = await db.ReadAsync(ct);
                fresh = await OrderStore.InProgressAsync(uow);
            }
            finally
            {
                lock (gate)
                {
                    reading = false;
                    if (fresh is { } n)
                    {
                        (counted, admittedSince, countedAt) = (n, 0, now);
                    }
                }
            }
        }

        lock (gate)
        {
            if (counted + admittedSince < limit)
            {
                admittedSince++;
                return null;
            }
        }

        response.Headers.RetryAfter = "1";
        return TypedResults.Problem(
            $"The exchange has {limit} orders in progress, as many as it takes at once; try again in a second.",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "At capacity");
    }
}
