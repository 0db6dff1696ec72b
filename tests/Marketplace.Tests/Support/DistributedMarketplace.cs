using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Marketplace.Tests.Support;

/// <summary>
/// The distributed mode for real: the four service hosts and the gateway as separate OS processes, SQLite files in a
/// temporary folder, RabbitMQ (a fresh virtual host) between them. Everything is started here and killed on
/// dispose; nothing is left running.
/// </summary>
public sealed class DistributedMarketplace : IAsyncDisposable
{
    private static readonly string[] Services = ["catalog", "rights", "pricing", "settlement"];
    private readonly List<(string Name, Process Process, string Log)> processes = [];
    private readonly Dictionary<string, (ProcessStartInfo Start, int Port)> starts = [];
    private readonly IReadOnlyDictionary<string, string> extra;
    private readonly string root = Directory.CreateTempSubdirectory("marketplace-distributed-").FullName;
    private RabbitMq.VirtualHost? vhost;

    public Uri Gateway { get; private set; } = null!;

    public Guid OperatorId { get; } = Guid.CreateVersion7();

    private DistributedMarketplace(IReadOnlyDictionary<string, string>? settings) => extra = settings ?? new Dictionary<string, string>();

    /// <summary>Starts everything; <paramref name="settings"/> (environment variables) go to every service host.</summary>
    public static async Task<DistributedMarketplace> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var marketplace = new DistributedMarketplace(settings);
        try
        {
            await marketplace.StartProcessesAsync();
            return marketplace;
        }
        catch
        {
            await marketplace.DisposeAsync();
            throw;
        }
    }

    public HttpClient Client() => new() { BaseAddress = Gateway, Timeout = TimeSpan.FromSeconds(30) };

    private async Task StartProcessesAsync()
    {
        vhost = await RabbitMq.CreateVirtualHostAsync();
        var signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var ports = Services.ToDictionary(s => s, _ => FreePort());
        var common = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Database__Provider"] = "Sqlite",
            ["Database__SqliteDirectory"] = Path.Combine(root, "data"),
            ["Messaging__Transport"] = "RabbitMq",
            ["Messaging__RabbitMqUrl"] = vhost.Url,
            ["Auth__SigningKey"] = signingKey,
            ["Bootstrap__OperatorId"] = OperatorId.ToString(),
            ["Rights__Clock__Interval"] = "00:00:00.500",
        };
        foreach (var (key, value) in extra)
        {
            common[key] = value;
        }

        foreach (var service in Services)
        {
            var name = char.ToUpperInvariant(service[0]) + service[1..];
            Start(service, Path.Combine("services", service, $"Marketplace.{name}.Host"), $"Marketplace.{name}.Host.dll", ports[service], common);
        }

        var gatewayPort = FreePort();
        var gatewayEnvironment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" };
        foreach (var service in Services)
        {
            gatewayEnvironment[$"ReverseProxy__Clusters__{service}__Destinations__primary__Address"] = $"http://127.0.0.1:{ports[service]}/";
        }

        Start("gateway", Path.Combine("deploy", "Marketplace.Gateway"), "Marketplace.Gateway.dll", gatewayPort, gatewayEnvironment);
        Gateway = new Uri($"http://127.0.0.1:{gatewayPort}/");

        using var client = Client();
        await Eventually.True(async () =>
        {
            ThrowIfAnyExited();
            try
            {
                return (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90), "every process ready behind the gateway");
    }

    private void Start(string name, string project, string dll, int port, IReadOnlyDictionary<string, string> environment)
    {
        var start = HostProcess(project, dll, environment, "--urls", $"http://127.0.0.1:{port}");
        starts[name] = (start, port);
        Launch(name, start);
    }

    /// <summary>The service names that can be killed and started again.</summary>
    public static IReadOnlyList<string> ServiceNames => Services;

    /// <summary>kill -9: the process gets no chance to finish anything. Its development clock's offset (what the
    /// demo and the load driver moved it by) is read first and given to the process that replaces it.</summary>
    public async Task KillAsync(string name)
    {
        var (start, port) = starts[name];
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
            var token = (await client.PostAsJsonAsync("/dev/token", new { })).EnsureSuccessStatusCode();
            var bearer = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
            var clock = await client.GetFromJsonAsync<JsonElement>($"/{name}/dev/clock");
            start.Environment["Dev__ClockOffset"] = clock.GetProperty("offset").GetString();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // Not answering: the offset last carried over stands.
        }

        foreach (var (_, process, _) in processes.Where(p => p.Name == name && !p.Process.HasExited))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>Starts a killed service again on its port, and waits until it reports ready.</summary>
    public async Task RestartAsync(string name, CancellationToken ct = default)
    {
        processes.RemoveAll(p => p.Name == name && p.Process.HasExited);
        var (start, port) = starts[name];
        Launch(name, start);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.True(async () =>
        {
            try
            {
                return (await client.GetAsync("/health/ready", ct)).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), $"{name} ready again");
    }

    private void Launch(string name, ProcessStartInfo start)
    {
        var log = Path.Combine(root, name + ".log");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        // Shared, so a restarted process appends to the log its killed predecessor wrote.
        var writer = TextWriter.Synchronized(new StreamWriter(new FileStream(log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), Encoding.UTF8) { AutoFlush = true });
        process.OutputDataReceived += (_, e) => writer.WriteLine(e.Data);
        process.ErrorDataReceived += (_, e) => writer.WriteLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        processes.Add((name, process, log));
    }

    /// <summary>How to start a built host (service or gateway) as its own process, from its output folder.</summary>
    public static ProcessStartInfo HostProcess(
        string project, string dll, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var directory = Path.Combine(RepositoryRoot, project, "bin", Configuration, "net10.0");
        var path = Path.Combine(directory, dll);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{dll} is not built at {directory}; the test project's build builds it.", path);
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(path);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private void ThrowIfAnyExited()
    {
        foreach (var (name, process, log) in processes.Where(p => p.Process.HasExited))
        {
            throw new InvalidOperationException($"{name} exited with {process.ExitCode}:\n{Tail(log)}");
        }
    }

    public string Logs() => string.Join("\n", processes.Select(p => $"--- {p.Name}\n{Tail(p.Log)}"));

    private static string Tail(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(30));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Configuration =>
        typeof(DistributedMarketplace).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Marketplace.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Marketplace.sln not found above the test output.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process, _) in processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token);
            }
            catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
            {
                // Already gone.
            }
            finally
            {
                process.Dispose();
            }
        }

        if (vhost is not null)
        {
            await vhost.DisposeAsync();
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }
}
