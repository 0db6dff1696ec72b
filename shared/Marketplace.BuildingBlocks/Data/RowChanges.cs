namespace Marketplace.BuildingBlocks.Data;

/// <summary>
/// Wake-ups for long-polling readers: a reader watches a row's id before it reads the row, and a unit of work that
/// changed the row (<see cref="UnitOfWork.Changed"/>) wakes the row's watchers after its commit, so a change between
/// the read and the wait is never missed. In-process only: a service owns its rows and writes them itself; a watcher
/// that is never woken (a change made by another replica) simply waits out its time and reads again.
/// </summary>
public sealed class RowChanges
{
    private readonly Dictionary<Guid, Entry> watched = [];

    /// <summary>Starts watching <paramref name="id"/>; dispose the watch when done with it.</summary>
    public Watch Start(Guid id)
    {
        lock (watched)
        {
            if (!watched.TryGetValue(id, out var entry))
            {
                entry = new Entry();
                watched.Add(id, entry);
            }

            entry.Watchers++;
            return new Watch(this, id, entry);
        }
    }

    /// <summary>Wakes every current watcher of <paramref name="id"/>.</summary>
    public void Notify(Guid id)
    {
        Entry? entry;
        lock (watched)
        {
            if (!watched.Remove(id, out entry))
            {
                return;
            }
        }

        entry.Changed.TrySetResult();
    }

    private void Stop(Guid id, Entry entry)
    {
        lock (watched)
        {
            if (--entry.Watchers == 0 && watched.TryGetValue(id, out var current) && current == entry)
            {
                watched.Remove(id);
            }
        }
    }

    /// <summary>How many rows are watched now (for tests: a finished watch leaves nothing behind).</summary>
    public int Count
    {
        get
        {
            lock (watched)
            {
                return watched.Count;
            }
        }
    }

    internal sealed class Entry
    {
        public TaskCompletionSource Changed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Watchers { get; set; }
    }

    public sealed class Watch : IDisposable
    {
        private readonly RowChanges owner;
        private readonly Guid id;
        private readonly Entry entry;
        private bool disposed;

        internal Watch(RowChanges owner, Guid id, Entry entry)
        {
            this.owner = owner;
            this.id = id;
            this.entry = entry;
        }

        /// <summary>
        /// True when the row changed since the watch started; false when <paramref name="timeout"/> passed first, or
        /// when <paramref name="stopping"/> fires (a stopping host answers its long polls at once rather than holding
        /// its shutdown for them).
        /// </summary>
        public async Task<bool> ChangedAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct, CancellationToken stopping = default)
        {
            if (entry.Changed.Task.IsCompleted)
            {
                return true;
            }

            if (timeout <= TimeSpan.Zero)
            {
                return false;
            }

            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping);
            var delay = Task.Delay(timeout, time, cts.Token);
            var first = await Task.WhenAny(entry.Changed.Task, delay);
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
            return first == entry.Changed.Task;
        }

        public void Dispose()
        {
            if (!disposed)
            {
                disposed = true;
                owner.Stop(id, entry);
            }
        }
    }
}
