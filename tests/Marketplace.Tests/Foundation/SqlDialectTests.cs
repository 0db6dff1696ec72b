using Dapper;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Catalog;
using Marketplace.Pricing;
using Marketplace.Rights;
using Marketplace.Settlement;
using Marketplace.Tests.Catalog;
using Marketplace.Tests.Support;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Marketplace.Tests.Foundation;

/// <summary>
/// No SQL Server runs here, so every T-SQL statement and migration is parsed with ScriptDom; every SQLite
/// statement is prepared against the migrated SQLite schema. Both sets are discovered, not listed.
/// </summary>
public sealed class SqlDialectTests(AdmissionTests.Host host) : IClassFixture<AdmissionTests.Host>
{
    public static TheoryData<SqlInventory.Statement> SqlServerStatements() =>
        [.. SqlInventory.Statements().Where(s => s.ForSqlServer)];

    public static TheoryData<SqlInventory.Statement> SqliteStatements() =>
        [.. SqlInventory.Statements().Where(s => s.ForSqlite)];

    public static TheoryData<string, string> SqlServerMigrations()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, script) in SqlInventory.Migrations(DatabaseProvider.SqlServer).Concat(SqlInventory.DeploymentScripts()))
        {
            data.Add(name, script);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SqlServerStatements))]
    public void Every_sql_server_statement_parses(SqlInventory.Statement statement) => AssertParses(statement.Sql);

    [Theory]
    [MemberData(nameof(SqlServerMigrations))]
    public void Every_sql_server_migration_parses(string name, string script)
    {
        Assert.NotEmpty(name);
        AssertParses(script);
    }

    [Fact]
    public void The_inventory_finds_the_statements_and_migrations_it_should()
    {
        var all = SqlInventory.Statements().ToList();
        var names = all.Select(s => s.Where.Split(' ')[0]).ToHashSet();
        var checkedNames = all
            .Where(s => !s.Sql.TrimStart().StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase)
                        && !s.Sql.Contains("CREATE SCHEMA", StringComparison.Ordinal)
                        && !s.Sql.Contains("_fts", StringComparison.Ordinal))
            .Select(s => s.Where.Split(' ')[0])
            .ToHashSet();
        foreach (var name in checkedNames)
        {
            if (name.EndsWith("Sqlite", StringComparison.Ordinal))
            {
                Assert.Contains(name[..^"Sqlite".Length] + "SqlServer", names);
            }
            else if (name.EndsWith("SqlServer", StringComparison.Ordinal))
            {
                Assert.Contains(name[..^"SqlServer".Length] + "Sqlite", names);
            }
        }
    }

    [Fact]
    public void Every_migration_exists_in_both_dialects()
    {
        Assert.Equal(
            SqlInventory.MigrationNames(DatabaseProvider.SqlServer).Order(),
            SqlInventory.MigrationNames(DatabaseProvider.Sqlite).Order());
    }

    [Theory]
    [MemberData(nameof(SqliteStatements))]
    public async Task Every_sqlite_statement_prepares_against_the_migrated_schema(SqlInventory.Statement statement)
    {
        ServiceDb db = statement.Schema switch
        {
            CatalogModule.Name => host.Marketplace.Get<CatalogDb>(),
            RightsModule.Name => host.Marketplace.Get<RightsDb>(),
            PricingModule.Name => host.Marketplace.Get<PricingDb>(),
            _ => host.Marketplace.Get<SettlementDb>(),
        };
        await using var connection = await db.OpenAsync();
        var parameters = new DynamicParameters();
        foreach (var name in SqlInventory.Parameters(statement.Sql))
        {
            parameters.Add(name, null);
        }

        // EXPLAIN compiles the statement (tables, columns, syntax) without running it.
        await connection.ExecuteAsync("EXPLAIN " + statement.Sql, parameters);
    }

    private static void AssertParses(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        parser.Parse(new StringReader(sql), out var errors);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"line {e.Line}: {e.Message}")) + Environment.NewLine + sql);
    }
}
