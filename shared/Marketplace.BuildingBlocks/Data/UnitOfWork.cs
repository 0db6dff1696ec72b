using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Marketplace.BuildingBlocks.Messaging;

namespace Marketplace.BuildingBlocks.Data;

/// <summary>
/// A connection with an open transaction. Statements run inside it; <see cref="PublishAsync{T}"/> writes the
/// message into the service's outbox in the same transaction, so a state change and the events it causes commit
/// or roll back together; after the commit the rows are handed to the dispatcher (<see cref="OutboxHandoff"/>).
/// Disposing without <see cref="CommitAsync"/> rolls back.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private readonly ServiceDb db;
    private List<Guid>? changed;
    private List<OutboxMessage>? written;
    private bool completed;

    internal UnitOfWork(ServiceDb db, DbConnection connection, DbTransaction transaction)
    {
        this.db = db;
        Connection = connection;
        Transaction = transaction;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    /// <summary>Picks the statement for this unit's engine (<see cref="ServiceDb.Sql"/>).</summary>
    public string Sql(string sqlServer, string sqlite) => db.Sql(sqlServer, sqlite);

    public Task<int> ExecuteAsync(string sql, object? param = null) =>
        Connection.ExecuteAsync(sql, param, Transaction);

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? param = null) =>
        Connection.QuerySingleOrDefaultAsync<T>(sql, param, Transaction);

    public Task<IEnumerable<T>> QueryAsync<T>(string sql, object? param = null) =>
        Connection.QueryAsync<T>(sql, param, Transaction);

    public Task<T?> ExecuteScalarAsync<T>(string sql, object? param = null) =>
        Connection.ExecuteScalarAsync<T>(sql, param, Transaction);

    /// <summary>Adds an event to the outbox; it is published only if this unit of work commits.</summary>
    public Task PublishAsync<T>(T message, DateTimeOffset now)
        where T : class => WriteOutboxAsync(message, null, now);

    /// <summary>
    /// Adds a message for one queue alone to the outbox (an operator's replay of a message one consumer gave up on):
    /// sent, not published, so no other subscriber sees it again; only if this unit of work commits.
    /// </summary>
    public Task SendAsync(object message, string queue, DateTimeOffset now) => WriteOutboxAsync(message, queue, now);

    private async Task WriteOutboxAsync(object message, string? destination, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        var traceParent = Activity.Current?.Id;
        var leasedUntil = now + db.Outbox.Lease;
        var seq = await Connection.ExecuteScalarAsync<long>(
            db.Messaging.InsertOutbox,
            new
            {
                Id = id,
                MessageType = MessageTypes.NameOf(message.GetType()),
                Body = MessageTypes.Serialize(message),
                TraceParent = traceParent,
                Destination = destination,
                Now = now,
                LockedUntil = leasedUntil,
            },
            Transaction);
        (written ??= []).Add(new OutboxMessage(seq, id, message, traceParent, leasedUntil, destination));
    }

    /// <summary>Set by <see cref="RollBack{T}"/>: the running unit of work is undone instead of committed.</summary>
    internal bool RollBackRequested { get; set; }

    /// <summary>
    /// Answers the caller with <paramref name="result"/> and undoes everything this unit of work wrote (a refusal found
    /// after a write: a version moved under a second update, a row another request took first).
    /// </summary>
    public T RollBack<T>(T result)
    {
        RollBackRequested = true;
        return result;
    }

    /// <summary>Records that the row <paramref name="id"/> changed: its long-polling readers are woken after the commit.</summary>
    public void Changed(Guid id) => (changed ??= []).Add(id);

    public async Task CommitAsync(CancellationToken ct = default)
    {
        await Transaction.CommitAsync(ct);
        completed = true;
        if (written is not null)
        {
            db.Outbox.Post(written);
        }

        changed?.ForEach(db.Changes.Notify);
    }

    /// <summary>Starts a savepoint; <see cref="RollbackToAsync"/> undoes what was written after it, outbox rows included.</summary>
    internal async Task<Savepoint> SaveAsync(string name)
    {
        await Transaction.SaveAsync(name);
        return new Savepoint(name, written?.Count ?? 0, changed?.Count ?? 0);
    }

    internal Task ReleaseAsync(Savepoint savepoint) => Transaction.ReleaseAsync(savepoint.Name);

    internal async Task RollbackToAsync(Savepoint savepoint)
    {
        await Transaction.RollbackAsync(savepoint.Name);
        written?.RemoveRange(savepoint.Written, written.Count - savepoint.Written);
        changed?.RemoveRange(savepoint.Changed, changed.Count - savepoint.Changed);
    }

    internal readonly record struct Savepoint(string Name, int Written, int Changed);

    public async ValueTask DisposeAsync()
    {
        if (!completed)
        {
            try
            {
                await Transaction.RollbackAsync();
            }
            catch (InvalidOperationException)
            {
                // The transaction is already finished (e.g. the connection broke): nothing to roll back.
            }
        }

        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
