using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Catalog;
using Marketplace.Tests.Support;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marketplace.Tests.Deployment;

/// <summary>
/// Choosing SqlServer really selects SQL Server — its connection, its dialect, its migrations — with no silent
/// fallback to SQLite; and an unreachable SQL Server makes a service not ready, quickly and with a clear log line.
/// </summary>
public sealed class SqlServerSelectionTests
{
    private const string Unreachable = "Server=127.0.0.1,9;Database=marketplace;User Id=catalog_svc;Password=x;Connect Timeout=2;TrustServerCertificate=true";

    private static IConfiguration Config(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void Without_a_connection_string_sql_server_is_refused_not_replaced_by_sqlite()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new CatalogDb(Config(("Database:Provider", "SqlServer"))));
        Assert.Contains("ConnectionStrings:catalog", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new CatalogDb(Config(("Database:Provider", "Oracle"))));
    }

    [Fact]
    public async Task Sql_server_selects_its_connection_dialect_and_migrations()
    {
        var directory = Directory.CreateTempSubdirectory("marketplace-sqlserver-").FullName;
        var db = new CatalogDb(Config(
            ("Database:Provider", "SqlServer"), ("Database:SqliteDirectory", directory), ("ConnectionStrings:catalog", Unreachable)));

        Assert.Equal(DatabaseProvider.SqlServer, db.Provider);
        Assert.Equal("server", db.Sql("server", "sqlite"));
        await Assert.ThrowsAsync<SqlException>(() => db.OpenAsync());
        await Assert.ThrowsAnyAsync<SqlException>(() => new Migrator(db, typeof(CatalogDb).Assembly, NullLogger.Instance).MigrateAsync());
        Assert.Empty(Directory.GetFiles(directory));
        Assert.Contains(SqlInventory.Migrations(DatabaseProvider.SqlServer), m => m.Name.StartsWith("Marketplace.Catalog.Migrations.SqlServer.", StringComparison.Ordinal));
        Directory.Delete(directory);
    }

    [Fact]
    public async Task An_unreachable_sql_server_makes_the_host_not_ready_within_seconds_and_says_why()
    {
        var logs = new ConcurrentQueue<string>();
        await using var m = new EmbeddedMarketplace(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "SqlServer",
            ["Database:MigrateOnStartup"] = "false",
            ["ConnectionStrings:Marketplace"] = Unreachable,
        });
        var host = m.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(new ListLogger(logs))));

        var clock = Stopwatch.StartNew();
        var response = await host.CreateClient().GetAsync("/health/ready");
        clock.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"readiness took {clock.Elapsed}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("The catalog database (SqlServer) is unreachable.", body, StringComparison.Ordinal);
        Assert.Contains(logs, l => l.Contains("catalog-database", StringComparison.Ordinal) && l.Contains("Unhealthy", StringComparison.Ordinal));
    }

    private sealed class ListLogger(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
