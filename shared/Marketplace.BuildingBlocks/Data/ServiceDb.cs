using System.Data.Common;
using Marketplace.BuildingBlocks.Data.Sqlite;
using Marketplace.BuildingBlocks.Messaging;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace Marketplace.BuildingBlocks.Data;

/// <summary>
/// One service's database: its connection factory, its dialect and its outbox hand-off. Each service derives one
/// sealed type (<c>CatalogDb</c>, …) so the embedded host can hold all four side by side in one container.
/// On SQLite the service's file is ATTACHed under the schema name, so <c>catalog.participants</c> is valid SQL
/// on both engines. SQLite connections come from the service's own pool, open and with their prepared statements
/// (<see cref="SqliteConnectionPool"/>); SQL Server's come from SqlClient's pool.
/// </summary>
public abstract class ServiceDb : IDisposable
{
    /// <summary>Idle SQLite connections kept open per service; more than that at once are opened and closed as needed.</summary>
    public const int SqliteIdleConnections = 16;

    private readonly SqliteConnectionPool? sqlitePool;
    private readonly string? sqliteAttach;

    protected ServiceDb(DatabaseSettings settings)
    {
        SqlTypeHandlers.Register();
        Settings = settings;
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            // The main database is a private, empty in-memory one; the service's file is attached to it under the schema
            // name. Connections are pooled here, not by Microsoft.Data.Sqlite (which would close the command objects
            // holding the prepared statements), so no handle is ever shared with another service or host.
            ConnectionString = new SqliteConnectionStringBuilder
            {
                DataSource = ":memory:",
                Pooling = false,
                DefaultTimeout = 30,
            }.ToString();
            sqlitePool = new SqliteConnectionPool(SqliteIdleConnections);
            // temp_store = MEMORY: a group commit's savepoints give SQLite statement journals, which past 64 KiB it would
            // spill to files it creates and unlinks in /var/tmp — tens a second under load, ~5 % of the host's CPU.
            sqliteAttach =
                $"ATTACH DATABASE @file AS {settings.Schema}; PRAGMA {settings.Schema}.journal_mode = WAL; PRAGMA {settings.Schema}.synchronous = FULL; PRAGMA busy_timeout = 10000; PRAGMA temp_store = MEMORY;";
        }
        else
        {
            ConnectionString = settings.ConnectionString;
        }

        Messaging = new OutboxInboxSql(this);
    }

    public DatabaseSettings Settings { get; }

    public string Schema => Settings.Schema;

    public DatabaseProvider Provider => Settings.Provider;

    internal string ConnectionString { get; }

    internal OutboxInboxSql Messaging { get; }

    /// <summary>Takes the outbox rows of every commit to the dispatcher, which publishes them at once.</summary>
    public OutboxHandoff Outbox { get; } = new();

    /// <summary>Wakes long-polling readers of a row after a commit that changed it.</summary>
    public RowChanges Changes { get; } = new();

    /// <summary>Picks the statement for this engine where the two dialects differ (few places; both sit side by side).</summary>
    public string Sql(string sqlServer, string sqlite) => Provider == DatabaseProvider.SqlServer ? sqlServer : sqlite;

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (Provider == DatabaseProvider.SqlServer)
        {
            var sql = new SqlConnection(ConnectionString);
            await sql.OpenAsync(ct);
            return sql;
        }

        if (sqlitePool!.TryRent() is { } pooled)
        {
            return pooled;
        }

        var connection = new PooledSqliteConnection(ConnectionString, sqlitePool);
        try
        {
            await connection.OpenAsync(ct);
            await using var attach = connection.CreateCommand();
            attach.CommandText = sqliteAttach;
            attach.Parameters.AddWithValue("@file", Settings.SqliteFile);
            await attach.ExecuteNonQueryAsync(ct);
            return connection;
        }
        catch
        {
            connection.Retire();
            throw;
        }
    }

    /// <summary>
    /// Opens a connection with a read-only snapshot: on SQLite a deferred transaction that takes no write lock, so
    /// reads neither wait for writers nor hold them up. Never write through it.
    /// </summary>
    public async Task<UnitOfWork> ReadAsync(CancellationToken ct = default)
    {
        var connection = await OpenAsync(ct);
        try
        {
            var transaction = connection is SqliteConnection sqlite
                ? sqlite.BeginTransaction(deferred: true)
                : await connection.BeginTransactionAsync(System.Data.IsolationLevel.Snapshot, ct);
            return new UnitOfWork(this, connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Opens a connection and starts a transaction: the unit in which state and its messages commit together. Only the
    /// write path (<see cref="GroupCommitter{TDb}"/>) and the migrator begin one; everything else writes through it.
    /// </summary>
    internal async Task<UnitOfWork> BeginAsync(CancellationToken ct = default)
    {
        var connection = await OpenAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(ct);
            return new UnitOfWork(this, connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closes the idle SQLite connections (the host is stopping); connections still in use close when returned.</summary>
    public void Dispose()
    {
        sqlitePool?.Dispose();
        GC.SuppressFinalize(this);
    }
}
