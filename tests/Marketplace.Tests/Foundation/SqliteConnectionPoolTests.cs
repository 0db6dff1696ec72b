using System.Data;
using Dapper;
using Marketplace.BuildingBlocks.Data.Sqlite;
using Marketplace.Catalog;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Tests.Foundation;

/// <summary>
/// SQLite connections are pooled open with their prepared statements: a statement runs with this call's parameters
/// and transaction however often it was cached, a failed or unfinished statement is never handed out again, and a
/// connection goes back to the pool only when nothing of its last user is left on it.
/// </summary>
public sealed class SqliteConnectionPoolTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "marketplace-pool-" + Guid.NewGuid().ToString("N"));
    private readonly CatalogDb db;

    public SqliteConnectionPoolTests()
    {
        Directory.CreateDirectory(directory);
        db = new CatalogDb(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:SqliteDirectory"] = directory }).Build());
        using var connection = db.OpenAsync().GetAwaiter().GetResult();
        connection.Execute("CREATE TABLE catalog.t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    }

    [Fact]
    public async Task A_connection_writes_ahead_with_full_sync_and_keeps_statement_journals_in_memory()
    {
        await using var connection = await db.OpenAsync();
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA catalog.journal_mode"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("PRAGMA catalog.synchronous")); // FULL
        // MEMORY: a savepoint's statement journal past 64 KiB would otherwise be a temporary file in /var/tmp.
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("PRAGMA temp_store"));
    }

    [Fact]
    public async Task A_returned_connection_is_handed_out_again_with_its_prepared_statements()
    {
        PooledSqliteConnection first;
        int cached;
        await using (var connection = await db.OpenAsync())
        {
            first = Assert.IsType<PooledSqliteConnection>(connection);
            cached = first.CachedStatements;
            Assert.Equal(7, await connection.ExecuteScalarAsync<long>("SELECT @x", new { x = 7 }));
        }

        await using (var connection = await db.OpenAsync())
        {
            Assert.Same(first, connection);
            Assert.Equal(cached + 1, first.CachedStatements);
            Assert.Equal(8, await connection.ExecuteScalarAsync<long>("SELECT @x", new { x = 8 }));
            Assert.Equal(cached + 1, first.CachedStatements);
        }
    }

    [Fact]
    public async Task A_cached_statement_binds_each_calls_parameters_and_runs_in_its_transaction()
    {
        await using var connection = await db.OpenAsync();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO catalog.t (id, v) VALUES (@Id, @V)", new { Id = 1, V = "one" }, tx);
            // No transaction named: the command joins the connection's, as a plain SqliteCommand does.
            await connection.ExecuteAsync("INSERT INTO catalog.t (id, v) VALUES (@Id, @V)", new { Id = 2, V = "two" });
            await tx.RollbackAsync();
        }

        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM catalog.t"));
        await connection.ExecuteAsync("INSERT INTO catalog.t (id, v) VALUES (@Id, @V)", new { Id = 3, V = "three" });
        Assert.Equal("three", await connection.ExecuteScalarAsync<string>("SELECT v FROM catalog.t WHERE id = @Id", new { Id = 3 }));
        Assert.Null(await connection.ExecuteScalarAsync<string>("SELECT v FROM catalog.t WHERE id = @Id", new { Id = 1 }));
    }

    [Fact]
    public async Task A_list_parameter_expands_into_its_own_statement_for_each_length()
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("INSERT INTO catalog.t (id, v) VALUES (@Id, @V)", Enumerable.Range(1, 5).Select(i => new { Id = i, V = $"v{i}" }));

        Assert.Equal(["v2", "v4"], await connection.QueryAsync<string>("SELECT v FROM catalog.t WHERE id IN @Ids ORDER BY id", new { Ids = new[] { 2, 4 } }));
        Assert.Equal(["v1", "v3", "v5"], await connection.QueryAsync<string>("SELECT v FROM catalog.t WHERE id IN @Ids ORDER BY id", new { Ids = new[] { 1, 3, 5 } }));
        Assert.Equal(["v4"], await connection.QueryAsync<string>("SELECT v FROM catalog.t WHERE id IN @Ids ORDER BY id", new { Ids = new[] { 4 } }));
    }

    [Theory]
    [InlineData("SELECT @Id || '/' || @IdKey || '/' || @Id")]
    [InlineData("SELECT :Id || '/' || :IdKey || '/' || :Id")]
    [InlineData("SELECT $Id || '/' || $IdKey || '/' || $Id")]
    public async Task Parameters_bind_by_the_name_their_statement_spells_run_after_run(string sql)
    {
        for (var run = 0; run < 3; run++)
        {
            await using var connection = await db.OpenAsync();
            Assert.Equal($"{run}/k{run}/{run}", await connection.ExecuteScalarAsync<string>(sql, new { Id = run, IdKey = "k" + run }));
        }
    }

    [Fact]
    public async Task A_name_spelled_two_ways_is_left_to_sqlite_to_refuse()
    {
        await using var connection = await db.OpenAsync();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => connection.ExecuteScalarAsync<long>("SELECT @x + :x", new { x = 1 }));
        Assert.Contains("x", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WHERE id = @Id", "@Id", true)]
    [InlineData("WHERE id = @Id)", "@Id", true)]
    [InlineData("WHERE key = @IdKey", "@Id", false)]
    [InlineData("WHERE key = @Id_2", "@Id", false)]
    [InlineData("WHERE key = @Id2 OR id = @Id", "@Id", true)]
    [InlineData("IN (@Ids10,@Ids1)", "@Ids1", true)]
    [InlineData("IN (@Ids10,@Ids11)", "@Ids1", false)]
    public void A_name_is_found_whole_not_as_the_start_of_a_longer_one(string sql, string parameter, bool mentioned) =>
        Assert.Equal(mentioned, PooledSqliteConnection.CachedCommand.Mentions(sql, parameter));

    [Fact]
    public async Task A_statement_that_failed_is_not_cached_and_the_same_text_runs_again()
    {
        var pooled = (PooledSqliteConnection)await db.OpenAsync();
        await using var connection = pooled;
        const string insert = "INSERT INTO catalog.t (id, v) VALUES (@Id, @V)";
        await connection.ExecuteAsync(insert, new { Id = 1, V = "one" });
        var cached = pooled.CachedStatements;

        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(insert, new { Id = 1, V = "again" }));
        Assert.Equal(cached - 1, pooled.CachedStatements);

        await connection.ExecuteAsync(insert, new { Id = 2, V = "two" });
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM catalog.t"));
    }

    [Fact]
    public async Task A_command_disposed_with_its_reader_still_open_is_not_handed_out_again()
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("INSERT INTO catalog.t (id, v) VALUES (@Id, @V)", Enumerable.Range(1, 3).Select(i => new { Id = i, V = $"v{i}" }));
        const string select = "SELECT v FROM catalog.t ORDER BY id";

        var command = connection.CreateCommand();
        command.CommandText = select;
        var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        await command.DisposeAsync();

        Assert.Equal(["v1", "v2", "v3"], await connection.QueryAsync<string>(select));
        await reader.DisposeAsync();
    }

    [Fact]
    public async Task A_connection_left_inside_a_transaction_is_closed_not_pooled()
    {
        var abandoned = await db.OpenAsync();
        var tx = await abandoned.BeginTransactionAsync();
        await abandoned.ExecuteAsync("INSERT INTO catalog.t (id, v) VALUES (1, 'uncommitted')", transaction: tx);
        await abandoned.DisposeAsync();

        Assert.Equal(ConnectionState.Closed, abandoned.State);
        await using var next = await db.OpenAsync();
        Assert.NotSame(abandoned, next);
        Assert.Equal(0, await next.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM catalog.t"));
    }

    [Fact]
    public async Task A_connection_disposed_twice_is_handed_out_once()
    {
        var connection = await db.OpenAsync();
        await connection.DisposeAsync();
        await connection.DisposeAsync();

        await using var a = await db.OpenAsync();
        await using var b = await db.OpenAsync();
        Assert.NotSame(a, b);
        Assert.Equal(1, await a.ExecuteScalarAsync<long>("SELECT 1"));
        Assert.Equal(2, await b.ExecuteScalarAsync<long>("SELECT 2"));
    }

    [Fact]
    public async Task Beyond_the_idle_limit_a_returned_connection_is_closed()
    {
        var open = new List<System.Data.Common.DbConnection>();
        for (var i = 0; i <= Marketplace.BuildingBlocks.Data.ServiceDb.SqliteIdleConnections; i++)
        {
            open.Add(await db.OpenAsync());
        }

        foreach (var connection in open)
        {
            await connection.DisposeAsync();
        }

        Assert.Equal(Marketplace.BuildingBlocks.Data.ServiceDb.SqliteIdleConnections, open.Count(c => c.State == ConnectionState.Open));
        Assert.Equal(ConnectionState.Closed, open[^1].State);
    }

    [Fact]
    public async Task Connections_of_two_databases_never_see_each_others_files()
    {
        var otherDirectory = Path.Combine(Path.GetTempPath(), "marketplace-pool-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(otherDirectory);
        using var other = new CatalogDb(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:SqliteDirectory"] = otherDirectory }).Build());
        try
        {
            await using (var connection = await db.OpenAsync())
            {
                await connection.ExecuteAsync("INSERT INTO catalog.t (id, v) VALUES (1, 'this database')");
            }

            await using (var connection = await other.OpenAsync())
            {
                Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_schema"));
                Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM catalog.sqlite_schema WHERE name = 't'"));
            }
        }
        finally
        {
            other.Dispose();
            Directory.Delete(otherDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Disposing_the_database_closes_its_idle_connections()
    {
        var connection = await db.OpenAsync();
        await connection.DisposeAsync();
        Assert.Equal(ConnectionState.Open, connection.State);

        db.Dispose();

        Assert.Equal(ConnectionState.Closed, connection.State);
        await using var after = await db.OpenAsync();
        await after.DisposeAsync();
        Assert.Equal(ConnectionState.Closed, after.State);
    }

    public void Dispose()
    {
        db.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
