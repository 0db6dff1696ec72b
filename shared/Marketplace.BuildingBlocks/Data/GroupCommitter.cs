using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Marketplace.BuildingBlocks.Data;

/// <summary>
/// The one write path of a service: every state change runs here as a unit of work. On SQLite, group commit:
/// concurrent units of work share one transaction, so one durable commit (one fsync with <c>synchronous=FULL</c>)
/// carries many requests. On SQL Server, which takes concurrent writers, each unit is its own transaction. Each request runs inside its own savepoint: when it throws, only
/// its savepoint is rolled back and only its caller sees the exception. A caller's task completes after the shared
/// commit, so nothing is reported done before it is durable. If the commit itself fails, every request of the batch
/// runs again alone, in its own transaction (the work must therefore be a pure function of the database, as every
/// handler here is). <c>MaxBatch = 1</c> turns batching off.
/// <para>
/// The writer is the one serial stage of a service: SQLite takes one writer per file, so a service can never write
/// faster than its committer runs. <see cref="GroupCommitTelemetry"/> counts the seconds it is busy (a rate near 1 is
/// a saturated writer), the units per batch and how long each commit takes, tagged with the schema.
/// </para>
/// </summary>
public sealed class GroupCommitter<TDb> : IUnitOfWorkRunner, IAsyncDisposable
    where TDb : ServiceDb
{
    private readonly TDb db;
    private readonly ILogger logger;
    private readonly int maxBatch;
    private readonly GroupCommitTelemetry? telemetry;
    private readonly Channel<IWork> queue = Channel.CreateUnbounded<IWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task writer;

    public GroupCommitter(TDb db, ILogger<GroupCommitter<TDb>> logger, int maxBatch = 64, GroupCommitTelemetry? telemetry = null)
    {
        this.db = db;
        this.logger = logger;
        this.maxBatch = Math.Max(1, maxBatch);
        this.telemetry = telemetry;
        writer = Task.Run(WriteAsync);
    }

    private interface IWork
    {
        CancellationToken Cancellation { get; }

        /// <summary>Its caller has been answered (completed or failed).</summary>
        bool Settled { get; }

        Task RunAsync(UnitOfWork uow);

        void Complete();

        void Fail(Exception exception);
    }

    /// <inheritdoc />
    public Task<T> RunAsync<T>(Func<UnitOfWork, Task<T>> work, CancellationToken ct = default)
    {
        if (db.Provider == DatabaseProvider.SqlServer)
        {
            return RunInOwnTransactionAsync(work, ct);
        }

        var item = new Work<T>(work, ct);
        if (!queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(GroupCommitter<TDb>));
        }

        return item.Task;
    }

    private async Task WriteAsync()
    {
        var batch = new List<IWork>(maxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < maxBatch && queue.Reader.TryRead(out var item))
            {
                if (item.Cancellation.IsCancellationRequested)
                {
                    item.Fail(new OperationCanceledException(item.Cancellation));
                }
                else
                {
                    batch.Add(item);
                }
            }

            if (batch.Count > 0)
            {
                await CommitBatchAsync(batch);
            }
        }
    }

    private async Task CommitBatchAsync(List<IWork> batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await RunBatchAsync(batch);
        }
        finally
        {
            telemetry?.Batch(db.Schema, batch.Count, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task RunBatchAsync(List<IWork> batch)
    {
        var succeeded = new List<IWork>(batch.Count);
        try
        {
            await using var uow = await db.BeginAsync();
            for (var i = 0; i < batch.Count; i++)
            {
                var savepoint = await uow.SaveAsync("w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                try
                {
                    uow.RollBackRequested = false;
                    await batch[i].RunAsync(uow);
                    if (uow.RollBackRequested)
                    {
                        await uow.RollbackToAsync(savepoint);
                    }
                    else
                    {
                        await uow.ReleaseAsync(savepoint);
                    }

                    succeeded.Add(batch[i]);
                }
                catch (Exception ex)
                {
                    await uow.RollbackToAsync(savepoint);
                    batch[i].Fail(ex);
                }
            }

            var committing = Stopwatch.GetTimestamp();
            await uow.CommitAsync();
            telemetry?.Committed(db.Schema, Stopwatch.GetElapsedTime(committing));
        }
        catch (Exception ex)
        {
            // The shared transaction is gone (it could not begin, a savepoint could not roll back, the commit failed):
            // nothing of it is durable. Every unit not yet answered — those that ran and those never reached — runs
            // again alone; a batch of one has nothing to fall back to and fails.
            var unsettled = batch.Where(item => !item.Settled).ToList();
            if (batch.Count == 1)
            {
                unsettled.ForEach(item => item.Fail(ex));
                return;
            }

            logger.LogWarning(ex, "A group commit of {Count} units of work in {Schema} failed; running them one by one", batch.Count, db.Schema);
            foreach (var item in unsettled)
            {
                await RunAloneAsync(item);
            }

            return;
        }

        foreach (var item in succeeded)
        {
            item.Complete();
        }
    }

    /// <summary>SQL Server takes concurrent writers: each unit of work is its own transaction, run on the caller's task.</summary>
    private async Task<T> RunInOwnTransactionAsync<T>(Func<UnitOfWork, Task<T>> work, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var result = await work(uow);
        if (!uow.RollBackRequested)
        {
            await uow.CommitAsync(ct);
        }

        return result;
    }

    private async Task RunAloneAsync(IWork item)
    {
        try
        {
            await using var uow = await db.BeginAsync();
            await item.RunAsync(uow);
            if (!uow.RollBackRequested)
            {
                await uow.CommitAsync();
            }

            item.Complete();
        }
        catch (Exception ex)
        {
            item.Fail(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writer;
    }

    private sealed class Work<T>(Func<UnitOfWork, Task<T>> work, CancellationToken ct) : IWork
    {
        private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? result;

        public Task<T> Task => completion.Task;

        public CancellationToken Cancellation => ct;

        public bool Settled => completion.Task.IsCompleted;

        public async Task RunAsync(UnitOfWork uow) => result = await work(uow);

        public void Complete() => completion.TrySetResult(result!);

        public void Fail(Exception exception) => completion.TrySetException(exception);
    }
}

/// <summary>What runs a unit of work in a service: its <see cref="GroupCommitter{TDb}"/>, seen without the service's type.</summary>
public interface IUnitOfWorkRunner
{
    /// <summary>
    /// Runs <paramref name="work"/> in a transaction (on SQLite shared with concurrent callers); returns after the commit.
    /// A unit that throws is rolled back alone and its caller gets the exception.
    /// </summary>
    Task<T> RunAsync<T>(Func<UnitOfWork, Task<T>> work, CancellationToken ct = default);
}
