using System.Diagnostics;
using Marketplace.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Marketplace.Tests.Deployment;

/// <summary>
/// deploy/docker-compose.yml is validated by Compose itself (<c>config</c> needs only the client; no engine runs
/// here): with every secret set it resolves, without them it refuses, and the services are wired for production.
/// </summary>
public sealed class ComposeTests
{
    private static string ComposeFile => Path.Combine(DistributedMarketplace.RepositoryRoot, "deploy", "docker-compose.yml");

    private static string EnvFile(bool withSecrets)
    {
        var lines = File.ReadAllLines(Path.Combine(DistributedMarketplace.RepositoryRoot, "deploy", ".env.example"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.EndsWith('=') ? (withSecrets ? l + "test-value" : l) : l);
        var file = Path.GetTempFileName();
        File.WriteAllLines(file, lines);
        return file;
    }

    private static async Task<(int Exit, string Output, string Error)> ComposeConfigAsync(string envFile)
    {
        // Compose v2 as a Docker CLI plugin where there is one, else the standalone docker-compose (tests/run.sh
        // installs Debian's package); `config` only reads and resolves the file.
        var plugin = await TryRunAsync("docker", "compose", "version");
        var (command, prefix) = plugin == 0 ? ("docker", new[] { "compose" }) : ("docker-compose", Array.Empty<string>());
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in prefix.Concat(["--env-file", envFile, "-f", ComposeFile, "config"]))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return (process.ExitCode, await output, await error);
    }

    private static async Task<int> TryRunAsync(string command, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            await process.WaitForExitAsync();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }

    [Fact]
    public async Task The_compose_file_resolves_and_wires_every_service_for_production()
    {
        var (exit, output, error) = await ComposeConfigAsync(EnvFile(withSecrets: true));
        Assert.True(exit == 0, error);

        var yaml = new YamlStream();
        yaml.Load(new StringReader(output));
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        string[] expected =
        [
            "sqlserver", "rabbitmq", "db-init", "gateway",
            "catalog", "rights", "pricing", "settlement",
            "catalog-migrate", "rights-migrate", "pricing-migrate", "settlement-migrate",
        ];
        Assert.Equal(expected.Order(), services.Children.Keys.Select(k => k.ToString()).Order());

        foreach (var name in new[] { "catalog", "rights", "pricing", "settlement" })
        {
            var environment = (YamlMappingNode)((YamlMappingNode)services[name])["environment"];
            string Env(string key) => environment[key].ToString();
            Assert.Equal("SqlServer", Env("Database__Provider"));
            Assert.Equal("false", Env("Database__MigrateOnStartup"));
            Assert.Equal("RabbitMq", Env("Messaging__Transport"));
            Assert.Equal("true", Env("Messaging__QuorumQueues"));
            Assert.Contains($"User Id={name}_svc", Env($"ConnectionStrings__{name}"), StringComparison.Ordinal);

            var dependsOn = (YamlMappingNode)((YamlMappingNode)services[name])["depends_on"];
            Assert.Equal("service_completed_successfully", ((YamlMappingNode)dependsOn[$"{name}-migrate"])["condition"].ToString());
            var migrate = (YamlSequenceNode)((YamlMappingNode)services[$"{name}-migrate"])["command"];
            Assert.Equal("--migrate-only", Assert.Single(migrate.Children).ToString());
        }
    }

    [Fact]
    public async Task Without_its_secrets_the_compose_file_refuses_to_resolve()
    {
        var (exit, _, error) = await ComposeConfigAsync(EnvFile(withSecrets: false));
        Assert.NotEqual(0, exit);
        Assert.Contains("deploy/.env", error, StringComparison.Ordinal);
    }
}
