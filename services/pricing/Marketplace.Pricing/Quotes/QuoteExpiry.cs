using Dapper;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting;
using Marketplace.Contracts.Pricing;
using Microsoft.Extensions.Options;

namespace Marketplace.Pricing.Quotes;

/// <summary>
/// Marks quotes past their validity as expired and publishes <see cref="QuoteExpired"/> for each, in batches, every
/// <c>Pricing:Quotes:ExpiryInterval</c> (default 10 seconds). The time is the <see cref="TimeProvider"/>'s.
/// </summary>
public sealed class QuoteExpiry(PricingDb db, GroupCommitter<PricingDb> committer, TimeProvider time, IOptions<PricingOptions> options) : IPeriodicWork
{
    private const int Batch = 500;

    private const string DueSqlServer = """
        SELECT TOP (@Take) id, order_id FROM pricing.quotes WITH (UPDLOCK, READPAST)
        WHERE status = 'Issued' AND valid_until <= @Now ORDER BY valid_until
        """;

    private const string DueSqlite = """
        SELECT id, order_id FROM pricing.quotes WHERE status = 'Issued' AND valid_until <= @Now ORDER BY valid_until LIMIT @Take
        """;

    private const string ExpireSql = """
        UPDATE pricing.quotes SET status = 'Expired', expired_at = @Now WHERE id = @Id AND status = 'Issued'
        """;

    public TimeSpan Interval { get; } = options.Value.Quotes.ExpiryInterval;

    /// <summary>Expires every quote due now; returns how many.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var now = time.GetUtcNow();
            var (found, expired) = await committer.RunAsync(
                async uow =>
                {
                    var due = (await uow.QueryAsync<Due>(db.Sql(DueSqlServer, DueSqlite), new { Now = now, Take = Batch })).AsList();
                    var expired = 0;
                    foreach (var quote in due)
                    {
                        if (await uow.ExecuteAsync(ExpireSql, new { quote.Id, Now = now }) == 1)
                        {
                            await uow.PublishAsync(new QuoteExpired(quote.Id, quote.OrderId, now), now);
                            expired++;
                        }
                    }

                    return (due.Count, expired);
                },
                ct);
            total += expired;
            if (found < Batch)
            {
                return total;
            }
        }
    }

    Task IPeriodicWork.RunAsync(CancellationToken ct) => ExpireDueAsync(ct);

    private sealed record Due
    {
        public Guid Id { get; init; }

        public Guid OrderId { get; init; }
    }
}
