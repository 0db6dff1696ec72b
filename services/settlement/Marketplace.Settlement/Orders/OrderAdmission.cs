using Marketplace.BuildingBlocks.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Marketplace.Settlement.Orders;

/// <summary>
/// Admission control for new orders. Past the rate the exchange keeps up with, every trade waits behind the backlog
/// and all of them complete late; an exchange would rather say "not now" at once. So a new order is refused — 503
/// with <c>Retry-After</c>, nothing written — while the orders waiting on the exchange itself (Requested,
/// AwaitingQuote: waiting for rights or pricing, not for a person) number
/// <c>Settlement:Orders:MaxInProgress</c> (default 100; 0 turns the gate off). By Little's law that bounds the time an
/// admitted trade spends waiting on the exchange to about the limit divided by the throughput: large enough to keep
/// rights, pricing and the writers busy, small enough that past the knee a trade waits behind a short queue.
/// The gate comes before any other work, so a refusal costs next to nothing when the exchange has none to spare — a
/// replay under an <c>Idempotency-Key</c> is refused like any request and answers its order once admitted.
/// <para>
/// The gate keeps an upper bound of the count: the last count read from the database plus the orders admitted since
/// (orders only leave the count by themselves). Below the limit it admits without reading; at the limit it reads the
/// count again — at most once per <c>Settlement:Orders:InProgressRefresh</c> (100 ms) of elapsed time, so an
/// exchange at capacity reads it ten times a second — and refuses only if the fresh count is full too. Elapsed time
/// is the process's monotonic clock, not the trade clock: this paces reads, it is not a business date.
/// </para>
/// <para>
/// Fair shares: one buyer may have at most <c>Settlement:Orders:MaxInProgressPerBuyer</c> (default 20; 0 turns it off)
/// of those orders at once, so no participant can take the exchange's capacity; past it a new order gets 429 naming that
/// limit. Counted exactly, inside the placement's transaction, under the buyer's row lock.
/// </para>
/// </summary>
public sealed class OrderAdmission(SettlementDb db, IOptions<SettlementOptions> options)
{
    private const string LockBuyerSqlServer = "SELECT status FROM settlement.participants WITH (UPDLOCK, HOLDLOCK) WHERE id = @Id";

    private const string LockBuyerSqlite = "SELECT status FROM settlement.participants WHERE id = @Id";

    private readonly long limit = options.Value.Orders.MaxInProgress;
    private readonly long perBuyer = options.Value.Orders.MaxInProgressPerBuyer;
    private readonly string lockBuyer = db.Sql(LockBuyerSqlServer, LockBuyerSqlite);
    private readonly long refreshMs = (long)options.Value.Orders.InProgressRefresh.TotalMilliseconds;
    private readonly Lock gate = new();
    private readonly SemaphoreSlim reading = new(1, 1);
    private long counted;
    private long admittedSince;
    private long? countedAt;

    /// <summary>Null when the order may be placed; else the 503 to answer (its <c>Retry-After</c> set on <paramref name="response"/>).</summary>
    internal async Task<ProblemHttpResult?> RefuseAsync(HttpResponse response, CancellationToken ct)
    {
        if (limit <= 0 || TryAdmit())
        {
            return null;
        }

        var now = Environment.TickCount64;
        if (Due(now))
        {
            await reading.WaitAsync(ct);
            try
            {
                if (Due(now)) // not read by another request while this one waited
                {
                    await ReadAsync(now, ct);
                }
            }
            finally
            {
                reading.Release();
            }

            if (TryAdmit())
            {
                return null;
            }
        }

        response.Headers.RetryAfter = "1";
        return TypedResults.Problem(
            $"The exchange has {limit} orders in progress, as many as it takes at once; try again in a second.",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "At capacity");
    }

    /// <summary>
    /// Inside the placement's unit of work: null when the buyer is below its own limit; else the 429 to answer (its
    /// <c>Retry-After</c> set on <paramref name="response"/>). Takes the buyer's row lock first, so two instances placing
    /// for one buyer count one after the other.
    /// </summary>
    internal async Task<ProblemHttpResult?> RefuseForBuyerAsync(UnitOfWork uow, Guid buyer, HttpResponse response)
    {
        if (perBuyer <= 0)
        {
            return null;
        }

        await uow.QuerySingleOrDefaultAsync<string>(lockBuyer, new { Id = buyer });
        var inProgress = await OrderStore.BuyerInProgressAsync(uow, buyer);
        if (inProgress < perBuyer)
        {
            return null;
        }

        response.Headers.RetryAfter = "1";
        return TypedResults.Problem(
            $"This buyer has {inProgress} orders in progress, its limit of {perBuyer}; try again when one has been answered.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many orders in progress",
            extensions: new Dictionary<string, object?> { ["reason"] = "buyer-at-capacity", ["limit"] = perBuyer });
    }

    private bool Due(long now)
    {
        lock (gate)
        {
            return countedAt is not { } at || now - at >= refreshMs;
        }
    }

    private async Task ReadAsync(long now, CancellationToken ct)
    {
        long admittedBefore;
        lock (gate)
        {
            admittedBefore = admittedSince;
        }

        await using var uow = await db.ReadAsync(ct);
        var fresh = await OrderStore.InProgressAsync(uow);
        lock (gate)
        {
            // Orders admitted while reading stay on top: counted twice at worst, never missed.
            (counted, admittedSince, countedAt) = (fresh, admittedSince - admittedBefore, now);
        }
    }

    private bool TryAdmit()
    {
        lock (gate)
        {
            if (countedAt is null || counted + admittedSince >= limit)
            {
                return false;
            }

            admittedSince++;
            return true;
        }
    }
}
