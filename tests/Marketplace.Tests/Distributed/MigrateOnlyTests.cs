using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Distributed;

/// <summary><c>--migrate-only</c>: the production step that applies a service's migrations and exits, serving nothing.</summary>
public sealed class MigrateOnlyTests
{
    [Fact]
    public async Task A_service_host_migrates_its_schema_and_exits()
    {
        var data = Directory.CreateTempSubdirectory("marketplace-migrate-").FullName;
        try
        {
            var start = DistributedMarketplace.HostProcess(
                Path.Combine("services", "catalog", "Marketplace.Catalog.Host"),
                "Marketplace.Catalog.Host.dll",
                new Dictionary<string, string>
                {
                    ["ASPNETCORE_ENVIRONMENT"] = "Production",
                    ["Auth__SigningKey"] = Convert.ToBase64String(new byte[32]),
                    ["Database__SqliteDirectory"] = data,
                    ["Messaging__Transport"] = "InMemory",
                },
                "--migrate-only");
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

            Assert.True(process.ExitCode == 0, await output + await error);
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "catalog.db")};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('participants', 'participant_history', 'outbox', 'inbox')";
            Assert.Equal(4L, await command.ExecuteScalarAsync());
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
