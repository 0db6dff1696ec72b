using System.Reflection;
using System.Text.RegularExpressions;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Catalog;
using Marketplace.Pricing;
using Marketplace.Rights;
using Marketplace.Settlement;

namespace Marketplace.Tests.Support;

/// <summary>
/// Finds every SQL statement the product contains, so no new one escapes the dialect tests: each <c>const string</c>
/// that starts like a statement, in the building blocks and every service, and each embedded migration script.
/// A constant whose name ends in <c>Sqlite</c> is SQLite-only, one ending in <c>SqlServer</c> is SQL Server-only,
/// any other runs on both.
/// </summary>
public static partial class SqlInventory
{
    public sealed record Statement(string Where, string Sql, string Schema, bool ForSqlServer, bool ForSqlite)
    {
        public override string ToString() => Where;
    }

    /// <summary>Assemblies that hold SQL, with the schema their statements run in (the building blocks run in every schema).</summary>
    public static readonly (Assembly Assembly, string? Schema)[] Assemblies =
    [
        (typeof(ServiceDb).Assembly, null),
        (typeof(CatalogDb).Assembly, CatalogModule.Name),
        (typeof(RightsDb).Assembly, RightsModule.Name),
        (typeof(PricingDb).Assembly, PricingModule.Name),
        (typeof(SettlementDb).Assembly, SettlementModule.Name),
    ];

    public static readonly string[] Schemas = [CatalogModule.Name, RightsModule.Name, PricingModule.Name, SettlementModule.Name];

    public static IEnumerable<Statement> Statements() =>
        from entry in Assemblies
        from type in entry.Assembly.GetTypes()
        from field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
        where field.FieldType == typeof(string) && (field.IsLiteral || (field.IsInitOnly && !type.ContainsGenericParameters))
        let sql = (string?)(field.IsLiteral ? field.GetRawConstantValue() : field.GetValue(null))
        where sql is not null
        where StatementStart().IsMatch(sql)
        from schema in entry.Schema is null ? Schemas : [entry.Schema]
        select new Statement(
            $"{type.FullName}.{field.Name} [{schema}]",
            Normalise(sql, schema),
            schema,
            ForSqlServer: !field.Name.EndsWith("Sqlite", StringComparison.Ordinal),
            ForSqlite: !field.Name.EndsWith("SqlServer", StringComparison.Ordinal));

    /// <summary>Embedded migration scripts per dialect, as (resource name, script with the schema substituted).</summary>
    public static IEnumerable<(string Name, string Script)> Migrations(DatabaseProvider provider) =>
        from entry in Assemblies
        from name in entry.Assembly.GetManifestResourceNames()
        where name.Contains(Migrator.ScriptFolder(provider), StringComparison.Ordinal)
        from schema in entry.Schema is null ? Schemas : [entry.Schema]
        select ($"{name} [{schema}]", Normalise(Read(entry.Assembly, name), schema));

    /// <summary>The deployment's own T-SQL (deploy/**/*.sql), sqlcmd variables replaced by sample values.</summary>
    public static IEnumerable<(string Name, string Script)> DeploymentScripts() =>
        from file in Directory.GetFiles(Path.Combine(DistributedMarketplace.RepositoryRoot, "deploy"), "*.sql", SearchOption.AllDirectories)
        select (Path.GetRelativePath(DistributedMarketplace.RepositoryRoot, file), SqlcmdVariable().Replace(File.ReadAllText(file), "sample"));

    public static IEnumerable<string> MigrationNames(DatabaseProvider provider) =>
        from entry in Assemblies
        from name in entry.Assembly.GetManifestResourceNames()
        where name.Contains(Migrator.ScriptFolder(provider), StringComparison.Ordinal)
        select name.Replace(Migrator.ScriptFolder(provider), ".Migrations.", StringComparison.Ordinal);

    /// <summary>Parameter names a statement uses (to bind when preparing it).</summary>
    public static IEnumerable<string> Parameters(string sql) =>
        ParameterName().Matches(sql).Select(m => m.Groups[1].Value).Distinct();

    /// <summary>Substitutes the schema token and expands Dapper's list parameters (<c>IN @ids</c>) the way Dapper does.</summary>
    private static string Normalise(string sql, string schema) =>
        DapperList().Replace(sql.Replace("$schema$", schema, StringComparison.Ordinal), "IN (@$1)");

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|MERGE|IF|CREATE|ALTER|DROP|DECLARE|EXEC|PRAGMA|ATTACH)\b", RegexOptions.IgnoreCase)]
    private static partial Regex StatementStart();

    [GeneratedRegex(@"\bIN\s+@(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex DapperList();

    [GeneratedRegex(@"\$\(\w+\)")]
    private static partial Regex SqlcmdVariable();

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex ParameterName();
}
