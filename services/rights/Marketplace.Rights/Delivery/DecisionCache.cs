using System.Collections.Concurrent;

namespace Marketplace.Rights.Delivery;

/// <summary>
/// What one instance trusts for at most <see cref="DeliverySettings.DecisionTtl"/> (≤ 1 s) before reading it again: the
/// one cache behind delivery's decisions, upstreams and keys, so a change made on any instance takes effect everywhere
/// within that time. Elapsed time is the process's monotonic clock. Absent values (null) are not kept — the keys a
/// caller invents must not fill the memory — and past <see cref="SweepAt"/> entries the expired ones are dropped.
/// </summary>
public sealed class DecisionCache<TKey, TValue>(TimeSpan ttl)
    where TKey : notnull
    where TValue : class
{
    public const int SweepAt = 100_000;

    private readonly ConcurrentDictionary<TKey, (TValue Value, long Until)> entries = new();
    private readonly long ticks = (long)(ttl.TotalSeconds * TimeProvider.System.TimestampFrequency);

    public int Count => entries.Count;

    /// <summary>The value kept for <paramref name="key"/> while it is fresh, else what <paramref name="load"/> reads now.</summary>
    public async Task<TValue?> GetAsync(TKey key, Func<Task<TValue?>> load)
    {
        var now = TimeProvider.System.GetTimestamp();
        if (entries.TryGetValue(key, out var kept) && kept.Until > now)
        {
            return kept.Value;
        }

        var value = await load();
        if (value is null || ticks <= 0)
        {
            entries.TryRemove(key, out _);
            return value;
        }

        if (entries.Count >= SweepAt)
        {
            foreach (var (k, e) in entries)
            {
                if (e.Until <= now)
                {
                    entries.TryRemove(k, out _);
                }
            }
        }

        entries[key] = (value, now + ticks);
        return value;
    }

    /// <summary>Forgets <paramref name="key"/> (it changed on this instance).</summary>
    public void Forget(TKey key) => entries.TryRemove(key, out _);
}
