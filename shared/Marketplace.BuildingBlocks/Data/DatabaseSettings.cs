using Microsoft.Extensions.Configuration;

namespace Marketplace.BuildingBlocks.Data;

/// <summary>
/// How one service reaches its schema. Read from configuration:
/// <c>Database:Provider</c> (Sqlite | SqlServer), <c>Database:SqliteDirectory</c> (where <c>{schema}.db</c> files live),
/// <c>ConnectionStrings:{schema}</c> falling back to <c>ConnectionStrings:Marketplace</c> (SQL Server),
/// <c>Database:MigrateOnStartup</c> (default true).
/// </summary>
public sealed record DatabaseSettings(
    string Schema,
    DatabaseProvider Provider,
    string ConnectionString,
    string? SqliteFile,
    bool MigrateOnStartup)
{
    public static DatabaseSettings From(IConfiguration configuration, string schema)
    {
        var section = configuration.GetSection("Database");
        var providerText = section["Provider"] ?? nameof(DatabaseProvider.Sqlite);
        if (!Enum.TryParse<DatabaseProvider>(providerText, ignoreCase: true, out var provider))
        {
            throw new InvalidOperationException(
                $"Database:Provider '{providerText}' is not one of: {string.Join(", ", Enum.GetNames<DatabaseProvider>())}.");
        }

        var migrate = !bool.TryParse(section["MigrateOnStartup"], out var m) || m;
        if (provider == DatabaseProvider.SqlServer)
        {
            var cs = configuration.GetConnectionString(schema) ?? configuration.GetConnectionString("Marketplace")
                ?? throw new InvalidOperationException(
                    $"Database:Provider is SqlServer but neither ConnectionStrings:{schema} nor ConnectionStrings:Marketplace is set.");
            return new DatabaseSettings(schema, provider, cs, null, migrate);
        }

        var directory = Path.GetFullPath(section["SqliteDirectory"] ?? "data");
        return new DatabaseSettings(schema, provider, "", Path.Combine(directory, schema + ".db"), migrate);
    }
}
