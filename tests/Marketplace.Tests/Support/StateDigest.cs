using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Marketplace.Tests.Support;

/// <summary>
/// What the marketplace has stored, read straight from every service's SQLite file: a fingerprint of every row of
/// every table (two equal fingerprints mean nothing changed in between), and each table's row count.
/// </summary>
public static class StateDigest
{
    public static async Task<string> OfAsync(string dataDirectory)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await foreach (var (file, table, _, connection) in TablesAsync(dataDirectory))
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"\n{file}.{table}\n"));
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
                        var value => Convert.ToString(value, CultureInfo.InvariantCulture),
                    };
                    sha.AppendData(Encoding.UTF8.GetBytes(text + "|"));
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
        await foreach (var (file, table, indexInternals, connection) in TablesAsync(dataDirectory))
        {
            if (!indexInternals)
            {
                await using var count = connection.CreateCommand();
                count.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
                counts[$"{file}.{table}"] = (long)(await count.ExecuteScalarAsync())!;
            }
        }

        return counts;
    }

    /// <summary>The fingerprint once the stored state has stopped moving (events delivered and consumed): read until
    /// two readings in a row agree and <paramref name="quiet"/>, if given, holds.</summary>
    public static Task<string> SettledAsync(string dataDirectory, Func<Task<bool>>? quiet = null)
    {
        string? last = null;
        return Eventually.Get(async () =>
        {
            var now = await OfAsync(dataDirectory);
            var settled = now == last && (quiet is null || await quiet()) ? now : null;
            last = now;
            return settled;
        }, TimeSpan.FromSeconds(30), "the stored state settling");
    }

    /// <summary>Every table of every service file, in name order, with whether it is a full-text index's internals
    /// (a virtual table's shadow tables) and a read-only connection to its file.</summary>
    private static async IAsyncEnumerable<(string File, string Table, bool IndexInternals, SqliteConnection Connection)> TablesAsync(string dataDirectory)
    {
        foreach (var path in Directory.GetFiles(dataDirectory, "*.db").Order(StringComparer.Ordinal))
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await connection.OpenAsync();
            var tables = new List<(string Name, bool Virtual)>();
            await using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name, sql LIKE 'CREATE VIRTUAL%' FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
                await using var reader = await list.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    tables.Add((reader.GetString(0), reader.GetBoolean(1)));
                }
            }

            var shadowPrefixes = tables.Where(t => t.Virtual).Select(t => t.Name + "_").ToList();
            foreach (var (table, _) in tables)
            {
                yield return (Path.GetFileNameWithoutExtension(path), table, shadowPrefixes.Any(p => table.StartsWith(p, StringComparison.Ordinal)), connection);
            }
        }
    }
}
