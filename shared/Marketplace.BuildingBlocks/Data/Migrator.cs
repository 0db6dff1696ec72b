using System.Reflection;
using DbUp;
using DbUp.Builder;
using DbUp.Engine;
using DbUp.Support;
using Marketplace.BuildingBlocks.Messaging;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Marketplace.BuildingBlocks.Data;

/// <summary>
/// Applies one service's numbered migrations with DbUp: first the shared outbox/inbox scripts (run group 0, with
/// <c>$schema$</c> substituted), then the service's own scripts embedded under <c>Migrations/{SqlServer|Sqlite}/</c>.
/// The journal lives in the service's schema (SQL Server) or file (SQLite), so services migrate independently.
/// </summary>
public sealed class Migrator(ServiceDb db, Assembly serviceAssembly, ILogger logger)
{
    /// <summary>Creates the service's schema if the deployment has not (SQL Server only; a no-op when it exists).</summary>
    internal const string EnsureSchemaSqlServer = """
        IF SCHEMA_ID(@schema) IS NULL
        BEGIN
            DECLARE @create nvarchar(300) = N'CREATE SCHEMA ' + QUOTENAME(@schema);
            EXEC sys.sp_executesql @create;
        END
        """;

    private const string EnableWalSqlite = "PRAGMA journal_mode = WAL;";

    public static string ScriptFolder(DatabaseProvider provider) => $".Migrations.{provider}.";

    public async Task MigrateAsync(CancellationToken ct = default)
    {
        UpgradeEngineBuilder builder;
        if (db.Provider == DatabaseProvider.SqlServer)
        {
            await using (var connection = new SqlConnection(db.ConnectionString))
            {
                await connection.OpenAsync(ct);
                await using var command = new SqlCommand(EnsureSchemaSqlServer, connection);
                command.Parameters.AddWithValue("@schema", db.Schema);
                await command.ExecuteNonQueryAsync(ct);
            }

            builder = DeployChanges.To.SqlDatabase(db.ConnectionString).JournalToSqlTable(db.Schema, "schema_versions");
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(db.Settings.SqliteFile)!);
            var fileConnection = new SqliteConnectionStringBuilder { DataSource = db.Settings.SqliteFile, Pooling = false }.ToString();
            await using (var connection = new SqliteConnection(fileConnection))
            {
                await connection.OpenAsync(ct);
                await using var command = new SqliteCommand(EnableWalSqlite, connection);
                await command.ExecuteNonQueryAsync(ct);
            }

            builder = DeployChanges.To.SqliteDatabase(fileConnection);
        }

        var folder = ScriptFolder(db.Provider);
        var engine = builder
            .WithScriptsEmbeddedInAssembly(
                typeof(MessageTypes).Assembly,
                name => name.Contains(folder, StringComparison.Ordinal),
                new SqlScriptOptions { RunGroupOrder = 0, ScriptType = ScriptType.RunOnce })
            .WithScriptsEmbeddedInAssembly(
                serviceAssembly,
                name => name.Contains(folder, StringComparison.Ordinal),
                new SqlScriptOptions { RunGroupOrder = 1, ScriptType = ScriptType.RunOnce })
            .WithVariable("schema", db.Schema)
            .WithTransactionPerScript()
            .LogTo(logger)
            .Build();

        var result = engine.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException(
                $"Migrating schema '{db.Schema}' failed at script {result.ErrorScript?.Name}.", result.Error);
        }
    }
}
