using System.Diagnostics;
using Marketplace.Rights.Delivery;

namespace Marketplace.Tests.Delivery;

/// <summary>The one short-lived cache behind delivery: what it keeps, what it never keeps, and that it cannot grow without bound.</summary>
public sealed class DecisionCacheTests
{
    [Fact]
    public async Task A_value_is_kept_for_its_time_and_an_absent_one_is_read_again_every_time()
    {
        var cache = new DecisionCache<string, string>(TimeSpan.FromHours(1));
        var reads = 0;
        Task<string?> Load(string? value)
        {
            reads++;
            return Task.FromResult(value);
        }

        Assert.Equal("a", await cache.GetAsync("k", () => Load("a")));
        Assert.Equal("a", await cache.GetAsync("k", () => Load("b")));
        Assert.Equal(1, reads);

        // Absent values are not kept: invented keys (a flood of made-up API keys) leave nothing behind.
        Assert.Null(await cache.GetAsync("nobody", () => Load(null)));
        Assert.Null(await cache.GetAsync("nobody", () => Load(null)));
        Assert.Equal((3, 1), (reads, cache.Count));

        cache.Forget("k");
        Assert.Equal("b", await cache.GetAsync("k", () => Load("b")));
    }

    [Fact]
    public async Task Expired_entries_are_dropped_once_the_cache_is_large()
    {
        var cache = new DecisionCache<int, string>(TimeSpan.FromMilliseconds(1));
        for (var i = 0; i < DecisionCache<int, string>.SweepAt; i++)
        {
            await cache.GetAsync(i, () => Task.FromResult<string?>("v"));
        }

        var filled = Stopwatch.StartNew();
        SpinWait.SpinUntil(() => filled.Elapsed > TimeSpan.FromMilliseconds(5));
        await cache.GetAsync(-1, () => Task.FromResult<string?>("v"));
        Assert.True(cache.Count < 1_000, $"{cache.Count} entries kept");
    }
}
