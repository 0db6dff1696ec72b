using Dapper;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting;
using Microsoft.Extensions.Options;

namespace Marketplace.Settlement.Orders;

/// <summary>
/// Releases the holders' proceeds of completed trades whose dispute window (<c>Settlement:Trades:DisputeWindow</c>,
/// T+7 days by default) has passed without a dispute pending: payable → available, one entry per trade, once. Runs every
/// <c>Settlement:Trades:ReleaseInterval</c> (default 1 minute) by the <see cref="TimeProvider"/>'s clock.
/// </summary>
public sealed class ProceedsRelease(SettlementDb db, GroupCommitter<SettlementDb> committer, TradeMoney money, TimeProvider time, IOptions<SettlementOptions> options) : IPeriodicWork
{
    private const string DueSqlServer = "SELECT TOP (200) id FROM settlement.orders WHERE released = 0 AND status = 'Completed' AND release_at <= @Now ORDER BY release_at";

    private const string DueSqlite = "SELECT id FROM settlement.orders WHERE released = 0 AND status = 'Completed' AND release_at <= @Now ORDER BY release_at LIMIT 200";

    public TimeSpan Interval { get; } = options.Value.Trades.ReleaseInterval;

    Task IPeriodicWork.RunAsync(CancellationToken ct) => ReleaseDueAsync(ct);

    /// <summary>Releases every trade due now; returns how many.</summary>
    public async Task<int> ReleaseDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        List<Guid> due;
        await using (var connection = await db.OpenAsync(ct))
        {
            due = (await connection.QueryAsync<Guid>(db.Sql(DueSqlServer, DueSqlite), new { Now = now })).AsList();
        }

        var released = 0;
        foreach (var id in due)
        {
            var done = await committer.RunAsync(
                async uow =>
                {
                    var order = await OrderStore.FindAsync(uow, id);
                    if (order is not { Status: OrderStatus.Completed, Released: false } || order.ReleaseAt > now
                        || await OrderChange.SaveAsync(uow, order, order with { Released = true }, null, now) is null)
                    {
                        return false;
                    }

                    await money.ReleaseAsync(uow, order, Guid.Empty, now); // the actor is the exchange's clock
                    return true;
                },
                ct);
            released += done ? 1 : 0;
        }

        return released;
    }
}
