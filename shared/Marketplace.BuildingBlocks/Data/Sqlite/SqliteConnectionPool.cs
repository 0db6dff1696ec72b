namespace Marketplace.BuildingBlocks.Data.Sqlite;

/// <summary>
/// One service's idle SQLite connections, kept open with their prepared statements. Microsoft.Data.Sqlite's own pool
/// keeps the native handle but closes the <c>SqliteConnection</c>, which finalizes every statement it prepared, so each
/// unit of work compiled its SQL again (a sixth of the embedded host's CPU under load); and it has no statement cache
/// (dotnet/efcore#14044, open). This pool hands out the same open connections, each with its cache
/// (<see cref="PooledSqliteConnection"/>), LIFO so the busiest stay warm. A connection comes back when its user
/// disposes it, unless it is closed, inside a transaction or still has a command out; then it is closed for real.
/// </summary>
internal sealed class SqliteConnectionPool(int maxIdle) : IDisposable
{
    private readonly Stack<PooledSqliteConnection> idle = new();
    private bool disposed;

    public PooledSqliteConnection? TryRent()
    {
        lock (idle)
        {
            if (!idle.TryPop(out var connection))
            {
                return null;
            }

            connection.Idle = false;
            return connection;
        }
    }

    /// <summary>
    /// Takes <paramref name="connection"/> back; false when it must be closed instead. Disposing a connection twice
    /// returns it once: a connection already idle stays where it is.
    /// </summary>
    public bool TryReturn(PooledSqliteConnection connection)
    {
        lock (idle)
        {
            if (connection.Idle)
            {
                return true;
            }

            if (disposed || idle.Count >= maxIdle || !connection.Reusable)
            {
                return false;
            }

            connection.Idle = true;
            idle.Push(connection);
            return true;
        }
    }

    public void Dispose()
    {
        PooledSqliteConnection[] closing;
        lock (idle)
        {
            disposed = true;
            closing = [.. idle];
            idle.Clear();
        }

        foreach (var connection in closing)
        {
            connection.Idle = false;
            connection.Retire();
        }
    }
}
