using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Marketplace.Tests.Support;

/// <summary>
/// A fingerprint of everything the marketplace has stored: every row of every table of every service's SQLite file,
/// in storage order. Two equal digests mean no request in between changed any state.
/// </summary>
public static class StateDigest
{
    public static async Task<string> OfAsync(string dataDirectory)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.GetFiles(dataDirectory, "*.db").Order(StringComparer.Ordinal))
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await connection.OpenAsync();
            var tables = new List<string>();
            await using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
                await using var reader = await list.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            foreach (var table in tables)
            {
                sha.AppendData(Encoding.UTF8.GetBytes($"\n{Path.GetFileName(file)}.{table}\n"));
                await using var select = connection.CreateCommand();
                select.CommandText = $"SELECT * FROM \"{table}\"";
                await using var reader = await select.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        var text = reader.GetValue(i) switch
                        {
                            DBNull => "\u0000",
                            byte[] bytes => Convert.ToHexString(bytes),
                            var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
                        };
                        sha.AppendData(Encoding.UTF8.GetBytes(text + "|"));
                    }
                }
            }
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>How many rows each table holds ("file.table"), full-text index internals left out (their row counts
    /// depend on how the index merged its segments, not on what was stored).</summary>
    public static async Task<SortedDictionary<string, long>> RowCountsAsync(string dataDirectory)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(dataDirectory, "*.db"))
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await connection.OpenAsync();
            var tables = new List<(string Name, bool Virtual)>();
            await using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name, sql LIKE 'CREATE VIRTUAL%' FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
                await using var reader = await list.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    tables.Add((reader.GetString(0), reader.GetBoolean(1)));
                }
            }

            var virtualTables = tables.Where(t => t.Virtual).Select(t => t.Name + "_").ToList();
            foreach (var (table, isVirtual) in tables.Where(t => !virtualTables.Any(v => t.Name.StartsWith(v, StringComparison.Ordinal))))
            {
                await using var count = connection.CreateCommand();
                count.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
                counts[$"{Path.GetFileNameWithoutExtension(file)}.{table}"] = (long)(await count.ExecuteScalarAsync())!;
            }
        }

        return counts;
    }
}
