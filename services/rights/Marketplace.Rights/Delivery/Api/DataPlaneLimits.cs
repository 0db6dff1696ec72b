using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Dapper;
using Marketplace.Rights.Delivery.Usage;
using Microsoft.Extensions.Options;

namespace Marketplace.Rights.Delivery.Api;

/// <summary>
/// What one licence may send through the data plane: a rate (<see cref="DeliverySettings.RequestsPerSecond"/>, a token
/// bucket per licence on each instance) and its quota of calls over the licence's term (the licence's usage limit),
/// counted as what is recorded and this instance's calls not yet written (read again at most every
/// <see cref="DeliverySettings.DecisionTtl"/>) plus the calls taken since — so across instances a quota can be overrun
/// by at most what the others took within one flush and one read.
/// </summary>
public sealed class DataPlaneLimits(RightsDb db, DeliveryRecorder recorder, IOptions<DeliverySettings> options) : IDisposable
{
    private const string UsedSql = "SELECT COALESCE(SUM(calls), 0) FROM rights.delivery_usage WHERE licence_id = @LicenceId";

    private readonly PartitionedRateLimiter<Guid> rate = PartitionedRateLimiter.Create<Guid, Guid>(licence =>
        RateLimitPartition.GetTokenBucketLimiter(licence, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.RequestsPerSecond,
            TokensPerPeriod = options.Value.RequestsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    private readonly ConcurrentDictionary<Guid, Quota> quotas = new();
    private readonly long ttl = (long)(options.Value.DecisionTtl.TotalSeconds * TimeProvider.System.TimestampFrequency);

    public int RequestsPerSecond => options.Value.RequestsPerSecond;

    /// <summary>Takes one call of the licence's rate; false when it is spent for this second.</summary>
    public bool TryTake(Guid licenceId)
    {
        using var lease = rate.AttemptAcquire(licenceId);
        return lease.IsAcquired;
    }

    /// <summary>
    /// Takes one call of the licence's quota of <paramref name="limit"/>; false when it is spent. The count is what was
    /// recorded plus this instance's unwritten calls when last read, plus the calls this instance took since.
    /// </summary>
    public async Task<bool> TryUseAsync(Guid licenceId, long limit, CancellationToken ct)
    {
        var now = TimeProvider.System.GetTimestamp();
        var quota = quotas.GetOrAdd(licenceId, _ => new Quota());
        if (quota.Until <= now)
        {
            await using var connection = await db.OpenAsync(ct);
            var recordedCalls = await connection.ExecuteScalarAsync<long>(UsedSql, new { LicenceId = licenceId });
            quota.Reset(recordedCalls + recorder.PendingCalls(licenceId), now + ttl);
        }

        return quota.TryTake(limit);
    }

    private sealed class Quota
    {
        private readonly Lock gate = new();
        private long used;

        public long Until { get; private set; }

        public void Reset(long counted, long until)
        {
            lock (gate)
            {
                (used, Until) = (counted, until);
            }
        }

        public bool TryTake(long limit)
        {
            lock (gate)
            {
                if (used >= limit)
                {
                    return false;
                }

                used++;
                return true;
            }
        }
    }

    public void Dispose() => rate.Dispose();
}
