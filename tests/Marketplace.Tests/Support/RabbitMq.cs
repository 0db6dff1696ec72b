using System.Diagnostics;
using System.Net.Sockets;

namespace Marketplace.Tests.Support;

/// <summary>
/// The real RabbitMQ broker the messaging tests need (tests/run.sh installs and starts Debian's package when it is
/// missing). A test that needs it fails, loudly, when it is not there; none is skipped. Each test gets its own
/// virtual host, so queues never leak between tests or runs.
/// </summary>
public static class RabbitMq
{
    public const string Host = "127.0.0.1";
    public const int Port = 5672;

    public static void AssertReachable()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(Host, Port);
        }
        catch (SocketException ex)
        {
            Assert.Fail($"These tests need RabbitMQ on {Host}:{Port} (run tests/run.sh, which starts it): {ex.Message}");
        }
    }

    public static string Url(string vhost) => $"amqp://guest:guest@{Host}:{Port}/{Uri.EscapeDataString(vhost)}";

    /// <summary>Creates a fresh virtual host the guest user may use; dispose to delete it.</summary>
    public static async Task<VirtualHost> CreateVirtualHostAsync()
    {
        AssertReachable();
        var name = "test-" + Guid.NewGuid().ToString("N")[..12];
        await CtlAsync("add_vhost", name);
        await CtlAsync("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
        return new VirtualHost(name);
    }

    public static Task StopAppAsync() => CtlAsync("stop_app");

    public static async Task StartAppAsync()
    {
        await CtlAsync("start_app");
        await CtlAsync("await_startup");
    }

    public static async Task<string> CtlAsync(params string[] args)
    {
        var start = new ProcessStartInfo("rabbitmqctl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-q");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("rabbitmqctl did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed ({process.ExitCode}): {await error}");
        }

        return await output;
    }

    public sealed class VirtualHost(string name) : IAsyncDisposable
    {
        public string Name { get; } = name;

        public string Url => RabbitMq.Url(Name);

        public async ValueTask DisposeAsync() => await CtlAsync("delete_vhost", Name);
    }
}

/// <summary>Tests on the one shared broker run one at a time, after the rest: one of them stops the broker.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RabbitMqCollection
{
    public const string Name = "rabbitmq";
}
