using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Marketplace.Contracts.Catalog;
using Marketplace.Tests.Support;
using MassTransit;
using Xunit.Abstractions;

namespace Marketplace.Tests.Distributed;

/// <summary>
/// SIGTERM, as Kubernetes sends it: the settlement service alone over RabbitMQ, answering requests, with messages that
/// keep failing in retry (changes to participants it has not heard of, retried with back-off for minutes), stops within
/// its grace and exits 0; the messages in retry are neither given up nor lost but back in the queue for the next start.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class ShutdownTests(ITestOutputHelper output)
{
    private const int Failing = 20;

    [Fact]
    public async Task Sigterm_under_load_with_messages_in_retry_exits_cleanly_within_the_grace()
    {
        await using var vhost = await RabbitMq.CreateVirtualHostAsync();
        var data = Directory.CreateTempSubdirectory("marketplace-shutdown-").FullName;
        var port = FreePort();
        var grace = TimeSpan.FromSeconds(4);
        var start = DistributedMarketplace.HostProcess(
            Path.Combine("services", "settlement", "Marketplace.Settlement.Host"), "Marketplace.Settlement.Host.dll",
            new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Database__SqliteDirectory"] = data,
                ["Messaging__Transport"] = "RabbitMq",
                ["Messaging__RabbitMqUrl"] = vhost.Url,
                ["Hosting__ShutdownGrace"] = grace.ToString(),
            },
            "--urls", $"http://127.0.0.1:{port}");
        using var process = Process.Start(start)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
            await Eventually.True(async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "settlement ready");
            Assert.False((await http.GetAsync("/health/live")).Headers.Contains("Server"), "Kestrel announces no Server header");

            var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(new Uri(vhost.Url)));
            await bus.StartAsync();
            try
            {
                for (var i = 0; i < Failing; i++)
                {
                    await bus.Publish(new ParticipantSuspended(Guid.CreateVersion7(), "test", 2, DateTimeOffset.UtcNow));
                }
            }
            finally
            {
                await bus.StopAsync();
            }

            // As many as the consumer takes at once (16) are being retried — delivered, not acknowledged — before the signal.
            await Eventually.True(
                async () => await QueueCountAsync(vhost, "messages_unacknowledged") >= 16 && await QueueCountAsync(vhost, "messages") == Failing,
                TimeSpan.FromSeconds(30), "the failing messages in retry");

            using var stopLoad = new CancellationTokenSource();
            var answered = 0;
            var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (!stopLoad.IsCancellationRequested)
                {
                    try
                    {
                        using var response = await http.GetAsync("/health/live", stopLoad.Token);
                        Interlocked.Increment(ref answered);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        return; // the process stopped listening
                    }
                }
            })).ToArray();
            await Eventually.True(() => Task.FromResult(Volatile.Read(ref answered) > 50), what: "requests flowing");

            var clock = Stopwatch.StartNew();
            Signal(process.Id, "TERM");
            var exited = process.WaitForExit(TimeSpan.FromSeconds(30));
            clock.Stop();
            await stopLoad.CancelAsync();
            await Task.WhenAll(load);
            output.WriteLine($"SIGTERM → exit in {clock.Elapsed.TotalMilliseconds:0} ms (grace {grace.TotalSeconds:0} s, {answered} requests answered meanwhile and before)");

            Assert.True(exited, $"settlement did not exit within 30 s of SIGTERM:\n{string.Join('\n', log.TakeLast(40))}");
            Assert.Equal(0, process.ExitCode);
            Assert.True(clock.Elapsed < grace + TimeSpan.FromSeconds(5), $"exit took {clock.Elapsed}, the grace is {grace}");

            // Nothing given up while stopping, nothing lost: the messages wait in the queue for the next start.
            Assert.Equal(Failing, await QueueCountAsync(vhost, "messages_ready"));
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "settlement.db")};Pooling=False");
            await connection.OpenAsync();
            Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM failed_messages"));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private const string Queue = "settlement-record-participant";

    private static async Task<int> QueueCountAsync(RabbitMq.VirtualHost vhost, string column)
    {
        var table = await RabbitMq.CtlAsync("list_queues", "-p", vhost.Name, "name", column);
        var row = table.Split('\n').Select(l => l.Split('\t')).FirstOrDefault(c => c.Length == 2 && c[0] == Queue);
        return row is null ? -1 : int.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
