using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Marketplace.Demo;
using Marketplace.Rights;
using Marketplace.Rights.Delivery;
using Marketplace.Rights.Delivery.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Benchmarks;

/// <summary>
/// Delivery, measured side by side in one run against the embedded host as a real process (Kestrel, SQLite):
/// the data plane against the same upstream called directly (closed-loop maximum throughput with the given
/// concurrency, then p50/p95/p99 at half the proxied maximum, paced open-loop); a file download by signed link against
/// reading the same blob from disk; and the cost of one key check (the cached path the data plane takes per call,
/// re-reading the key at most every 0.5 s). Every part runs on the same two cores, client included.
/// </summary>
internal static class DeliveryBenchmark
{
    public static async Task RunAsync(int seconds, int concurrency, int fileMiB)
    {
        var data = Directory.CreateTempSubdirectory("marketplace-delivery-bench-").FullName;
        await using var upstream = await Upstream.StartAsync();
        using var host = StartHost(data, out var baseUrl);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            var api = new MarketplaceClient(http);
            await MarketplaceClient.UntilAsync(async () =>
            {
                try
                {
                    return (await http.GetAsync("health/ready")).IsSuccessStatusCode ? default(JsonElement) : null;
                }
                catch (HttpRequestException)
                {
                    return null; // not listening yet
                }
            }, "the host", default);
            var file = RandomNumberGenerator.GetBytes(fileMiB * 1024 * 1024);
            var (licence, key, link) = await PrepareAsync(api, upstream.Url, file);
            Console.WriteLine($"Delivery on {Environment.ProcessorCount} cores: embedded host (Release, Kestrel, SQLite), {concurrency} concurrent callers, {seconds} s per run");

            var direct = await ClosedLoopAsync(http, $"{upstream.Url}/v1/data", null, seconds, concurrency);
            var proxied = await ClosedLoopAsync(http, $"rights/delivery/api/{licence}/v1/data", key, seconds, concurrency);
            Console.WriteLine($"maximum throughput: direct {direct.Rate:N0}/s (p50 {direct.P(50):F2} ms), data plane {proxied.Rate:N0}/s (p50 {proxied.P(50):F2} ms) = {100 * proxied.Rate / direct.Rate:F0} % of direct");
            var pace = proxied.Rate / 2;
            var directPaced = await OpenLoopAsync(http, $"{upstream.Url}/v1/data", null, seconds, pace);
            var proxiedPaced = await OpenLoopAsync(http, $"rights/delivery/api/{licence}/v1/data", key, seconds, pace);
            Console.WriteLine($"at {pace:N0}/s (half the data plane's maximum): direct p50/p95/p99 {directPaced.P(50):F2}/{directPaced.P(95):F2}/{directPaced.P(99):F2} ms, " +
                $"data plane {proxiedPaced.P(50):F2}/{proxiedPaced.P(95):F2}/{proxiedPaced.P(99):F2} ms, added p50 {proxiedPaced.P(50) - directPaced.P(50):F2} ms");

            var blob = Path.Combine(data, "blobs", Convert.ToHexStringLower(SHA256.HashData(file))[..2], Convert.ToHexStringLower(SHA256.HashData(file)));
            var disk = Throughput(() => ReadFile(blob), file.Length);
            var download = Throughput(() => DownloadAsync(http, link).GetAwaiter().GetResult(), file.Length);
            upstream.Serve(blob);
            var plain = Throughput(() => DownloadAsync(http, $"{upstream.Url}/file").GetAwaiter().GetResult(), file.Length);
            Console.WriteLine($"file of {fileMiB} MiB: signed-link download {download:F0} MB/s = {100 * download / disk:F0} % of reading it from disk ({disk:F0} MB/s, page cache) " +
                $"and {100 * download / plain:F0} % of Kestrel serving the same file as a static file ({plain:F0} MB/s)");

            Console.WriteLine($"key check (cached path, re-read every 0.5 s): {await KeyCheckMicrosecondsAsync(data, key):F2} µs per call");
            Console.WriteLine($"host working set after the runs: {host.WorkingSet() / 1048576.0:F0} MiB");
        }
        finally
        {
            host.Stop();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>A listed, certified product with the file and an API upstream; a buyer's completed trade; its key and a link.</summary>
    private static async Task<(Guid Licence, string Key, string Link)> PrepareAsync(MarketplaceClient api, string upstream, byte[] file)
    {
        var ct = CancellationToken.None;
        var op = await api.TokenAsync(null, ["operator"], ct);
        var provider = await api.AdmitAsync(op, "基准测试数据商", ["provider"], null, ct);
        var buyer = await api.AdmitAsync(op, "基准测试买方", ["buyer"], "basic", ct);
        var pt = await api.TokenAsync(provider, ["provider"], ct);
        var bt = await api.TokenAsync(buyer, ["buyer"], ct);
        var sha = Convert.ToHexStringLower(SHA256.HashData(file));
        var manifest = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{sha}  data.bin\n")));
        var product = (await api.SendAsync(pt, HttpMethod.Post, "/catalog/products", Listing(manifest), HttpStatusCode.Created, ct)).GetProperty("id").GetGuid();
        await api.SendAsync(pt, HttpMethod.Post, $"/catalog/products/{product}/submit", null, HttpStatusCode.OK, ct);
        await api.SendAsync(op, HttpMethod.Post, $"/catalog/products/{product}/review", null, HttpStatusCode.OK, ct);
        await api.SendAsync(op, HttpMethod.Post, $"/catalog/products/{product}/approve", new
        {
            checklist = new { sourceLegality = new { passed = true }, classification = new { passed = true }, personalInformation = new { passed = true }, descriptionAccuracy = new { passed = true }, deliveryMethod = new { passed = true } },
        }, HttpStatusCode.OK, ct);
        var registration = (await MarketplaceClient.UntilAsync(() => api.TrySendAsync(pt, HttpMethod.Post, "/rights/registrations", new
        {
            productId = product, rights = new[] { "holding", "processing", "operating" }, holders = new[] { new { holderId = provider, shareBps = 10_000 } },
            manifestSha256 = manifest, sourceDescription = "基准测试", lawfulBasis = "基准测试",
        }, HttpStatusCode.Created, ct), "rights", ct)).GetProperty("id").GetGuid();
        await api.SendAsync(op, HttpMethod.Post, $"/rights/registrations/{registration}/formal-review", new { decision = "pass" }, HttpStatusCode.OK, ct);
        await api.SendAsync(op, HttpMethod.Post, $"/rights/registrations/{registration}/substantive-review", new { decision = "pass" }, HttpStatusCode.OK, ct);
        await api.SendAsync(op, HttpMethod.Post, "/rights/dev/clock", new { advanceBy = "30.00:00:00" }, HttpStatusCode.OK, ct);
        await MarketplaceClient.UntilAsync(async () =>
        {
            var r = await api.SendAsync(op, HttpMethod.Get, $"/rights/registrations/{registration}", null, HttpStatusCode.OK, ct);
            return r.GetProperty("status").GetString() == "certified" ? r : null;
        }, "the certificate", ct);
        var plan = (await MarketplaceClient.UntilAsync(() => api.TrySendAsync(pt, HttpMethod.Post, $"/pricing/products/{product}/plans",
            new { kind = "oneOff", name = "基准", price = 100, termDays = 365 }, HttpStatusCode.Created, ct), "pricing", ct)).GetProperty("id").GetGuid();
        await api.SendAsync(op, HttpMethod.Post, "/settlement/deposits", new { participantId = buyer, amount = 1_000_000, currency = "CNY", bankReference = "BENCH-" + Guid.NewGuid().ToString("N")[..12] }, HttpStatusCode.Created, ct);
        var order = (await MarketplaceClient.UntilAsync(() => api.TrySendAsync(bt, HttpMethod.Post, "/settlement/orders",
            new { productId = product, planId = plan, quantity = 1, purpose = "基准测试", exclusive = false }, HttpStatusCode.Created, ct), "settlement", ct)).GetProperty("id").GetGuid();
        await api.OrderInAsync(bt, order, "quoted", ct);
        await api.SendAsync(bt, HttpMethod.Post, $"/settlement/orders/{order}/accept", null, HttpStatusCode.OK, ct);
        var licence = (await api.OrderInAsync(bt, order, "completed", ct)).GetProperty("licenceId").GetGuid();

        await api.UploadAsync(pt, $"/rights/products/{product}/files", [("data.bin", file)], HttpStatusCode.Created, ct);
        await api.SendAsync(pt, HttpMethod.Put, $"/rights/products/{product}/api-source", new
        {
            baseUrl = upstream, methods = new[] { "GET" }, pathPrefixes = new[] { "/v1/" }, credentialHeader = "X-Upstream-Token", credential = "bench",
        }, HttpStatusCode.OK, ct);
        var key = (await api.SendAsync(bt, HttpMethod.Post, $"/rights/licences/{licence}/keys", null, HttpStatusCode.Created, ct)).GetProperty("key").GetString()!;
        var link = (await api.SendAsync(bt, HttpMethod.Get, $"/rights/licences/{licence}/files", null, HttpStatusCode.OK, ct)).GetProperty("files")[0].GetProperty("downloadUrl").GetString()!;
        return (licence, key, link);
    }

    private static object Listing(string manifest) => new
    {
        title = "基准测试数据", description = "Benchmark data for the delivery measurements.", category = "G", tags = new[] { "基准" }, subject = "enterprise",
        grade = "general", source = "基准测试", legalityStatement = "基准测试", coverage = new { from = "2026-01-01", to = "2026-12-31", regions = new[] { "310000" } },
        updateFrequency = "daily", schema = new[] { new { name = "x", type = "string", description = "x" } }, sampleReference = "sample://bench",
        manifestSha256 = manifest, deliveryMethods = new[] { "file", "api" }, requiresManualApproval = false, exclusiveAllowed = false,
    };

    private sealed record Run(double Rate, double[] Latencies)
    {
        public double P(int percentile) => Latencies.Length == 0 ? double.NaN : Latencies[Math.Min(Latencies.Length - 1, (int)(Latencies.Length * percentile / 100.0))];
    }

    private static HttpRequestMessage Request(string url, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return request;
    }

    private static async Task<Run> ClosedLoopAsync(HttpClient http, string url, string? key, int seconds, int concurrency)
    {
        await WarmAsync(http, url, key);
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        var end = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed < end)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(Request(url, key));
                await response.Content.ReadAsByteArrayAsync();
                EnsureOk(response);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        return new Run(latencies.Count / clock.Elapsed.TotalSeconds, [.. latencies.Order()]);
    }

    /// <summary>Requests started at a fixed rate whatever the answers (open loop), so latency is not hidden by back-pressure.</summary>
    private static async Task<Run> OpenLoopAsync(HttpClient http, string url, string? key, int seconds, double rate)
    {
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var total = (int)(rate * seconds);
        var interval = TimeSpan.FromSeconds(1 / rate);
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = interval * i;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            tasks.Add(Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(Request(url, key));
                await response.Content.ReadAsByteArrayAsync();
                EnsureOk(response);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }));
        }

        await Task.WhenAll(tasks);
        return new Run(total / clock.Elapsed.TotalSeconds, [.. latencies.Order()]);
    }

    private static async Task WarmAsync(HttpClient http, string url, string? key)
    {
        for (var i = 0; i < 200; i++)
        {
            using var response = await http.SendAsync(Request(url, key));
            EnsureOk(response);
        }
    }

    private static void EnsureOk(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{response.RequestMessage!.RequestUri} answered {(int)response.StatusCode}");
        }
    }

    /// <summary>MB/s over five repetitions after one warm-up, of a whole read.</summary>
    private static double Throughput(Func<long> read, long bytes)
    {
        read();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            if (read() != bytes)
            {
                throw new InvalidOperationException("short read");
            }
        }

        return 5 * bytes / 1e6 / clock.Elapsed.TotalSeconds;
    }

    private static long ReadFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[81_920];
        long total = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static async Task<long> DownloadAsync(HttpClient http, string link)
    {
        using var response = await http.GetAsync(link.TrimStart('/'), HttpCompletionOption.ResponseHeadersRead);
        EnsureOk(response);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81_920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>The data plane's key check as it runs per call, in this process over the host's rights database (read-only).</summary>
    private static async Task<double> KeyCheckMicrosecondsAsync(string data, string key)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:SqliteDirectory"] = data,
        }).Build();
        var keys = new ApiKeys(new RightsDb(configuration), Microsoft.Extensions.Options.Options.Create(new DeliverySettings()));
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 10_000; i++)
        {
            _ = await keys.AuthenticateAsync(key, now, default) ?? throw new InvalidOperationException("the key does not check");
        }

        const int calls = 1_000_000;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            await keys.AuthenticateAsync(key, now, default);
        }

        return clock.Elapsed.TotalMicroseconds / calls;
    }

    private static HostProcess StartHost(string data, out Uri baseUrl)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        baseUrl = new Uri($"http://127.0.0.1:{port}/");
        return HostProcess.Start(data, port);
    }

    /// <summary>The embedded host, built in Release, as its own process.</summary>
    private sealed class HostProcess : IDisposable
    {
        private readonly Process process;

        private HostProcess(Process process) => this.process = process;

        public static HostProcess Start(string data, int port)
        {
            var root = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(root, "Marketplace.sln")))
            {
                root = Path.GetDirectoryName(root.TrimEnd('/'))!;
            }

            var dll = Path.Combine(root, "deploy", "Marketplace.Embedded", "bin", "Release", "net10.0", "Marketplace.Embedded.dll");
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(dll);
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add($"http://127.0.0.1:{port}");
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            start.Environment["Database__SqliteDirectory"] = data;
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            start.Environment["Rights__Clock__Interval"] = "00:00:00.500";
            start.Environment["Rights__Delivery__RequestsPerSecond"] = "1000000";
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new HostProcess(process);
        }

        public long WorkingSet()
        {
            process.Refresh();
            return process.WorkingSet64;
        }

        public void Stop()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }

        public void Dispose()
        {
            Stop();
            process.Dispose();
        }
    }

    /// <summary>The provider's API for the comparison: a fixed 1 KiB JSON answer from Kestrel on 127.0.0.1; and a file served statically.</summary>
    private sealed class Upstream : IAsyncDisposable
    {
        private LoopbackServer server = null!;
        private string? served;

        public string Url => server.Url;

        public static async Task<Upstream> StartAsync()
        {
            var upstream = new Upstream();
            var body = System.Text.Encoding.UTF8.GetBytes("[" + string.Join(',', Enumerable.Range(0, 30).Select(i => $"{{\"hour\":{i % 24},\"count\":{800 + i}}}")) + "]");
            upstream.server = await LoopbackServer.StartAsync(app =>
            {
                app.MapGet("/v1/data", () => Results.Bytes(body, "application/json"));
                app.MapGet("/file", () => Results.File(upstream.served!, "application/octet-stream", enableRangeProcessing: true));
            });
            return upstream;
        }

        /// <summary>Serves <paramref name="path"/> at <c>/file</c>, as plain Kestrel would: the download baseline.</summary>
        public void Serve(string path) => served = path;

        public async ValueTask DisposeAsync() => await server.DisposeAsync();
    }
}
