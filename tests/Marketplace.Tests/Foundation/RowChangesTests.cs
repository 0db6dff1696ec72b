using Marketplace.BuildingBlocks.Data;
using Microsoft.Extensions.Time.Testing;

namespace Marketplace.Tests.Foundation;

/// <summary>The wake-ups behind long polls: a change is never missed between the read and the wait, and nothing is left behind.</summary>
public sealed class RowChangesTests
{
    private readonly RowChanges changes = new();
    private readonly FakeTimeProvider time = new();

    [Fact]
    public async Task A_change_after_the_watch_started_wakes_it_even_before_it_waits()
    {
        var id = Guid.NewGuid();
        using var watch = changes.Start(id);
        changes.Notify(id);
        Assert.True(await watch.ChangedAsync(TimeSpan.FromSeconds(30), time, default).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Every_watcher_of_the_row_wakes_and_no_other()
    {
        var id = Guid.NewGuid();
        var other = Guid.NewGuid();
        using var first = changes.Start(id);
        using var second = changes.Start(id);
        using var elsewhere = changes.Start(other);
        var waits = new[] { first, second, elsewhere }.Select(w => w.ChangedAsync(TimeSpan.FromSeconds(30), time, default)).ToArray();
        changes.Notify(id);

        Assert.True(await waits[0].WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(await waits[1].WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(waits[2].IsCompleted);
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.False(await waits[2].WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_watch_times_out_unchanged_and_finished_watches_leave_nothing_behind()
    {
        var id = Guid.NewGuid();
        using (var watch = changes.Start(id))
        {
            var wait = watch.ChangedAsync(TimeSpan.FromSeconds(5), time, default);
            time.Advance(TimeSpan.FromSeconds(5));
            Assert.False(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(1, changes.Count);
        }

        Assert.Equal(0, changes.Count);
        changes.Notify(id); // nobody watches: nothing to do, nothing kept
        Assert.Equal(0, changes.Count);

        using var late = changes.Start(id);
        Assert.False(await late.ChangedAsync(TimeSpan.Zero, time, default));
    }
}
