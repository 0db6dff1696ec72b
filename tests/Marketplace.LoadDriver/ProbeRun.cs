using System.Diagnostics;
using System.Globalization;

namespace Marketplace.LoadDriver;

/// <summary>
/// <c>--probe /path --rate N --duration S</c>: one anonymous GET at a fixed rate, open loop, with the trade runs' own
/// HTTP client, scheduling and percentiles — so the driver's latencies can be checked against an independent tool
/// (autocannon) on the same endpoint at the same rate. Prints completed/s and p50/p95/p99/max.
/// </summary>
internal static class ProbeRun
{
    public static async Task<Latency> RunAsync(Uri url, string path, int rate, int seconds, TextWriter output)
    {
        using var http = LoadRun.NewClient(url);
        var samples = new List<TimeSpan>(rate * seconds);
        var failed = 0;
        var clock = Stopwatch.StartNew();
        var running = new List<Task>(rate * seconds);
        for (var n = 0; n < rate * seconds; n++)
        {
            var due = TimeSpan.FromSeconds((double)n / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            running.Add(Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(path);
                await response.Content.ReadAsByteArrayAsync();
                var took = Stopwatch.GetElapsedTime(started);
                lock (samples)
                {
                    if (response.IsSuccessStatusCode)
                    {
                        samples.Add(took);
                    }
                    else
                    {
                        failed++;
                    }
                }
            }));
        }

        await Task.WhenAll(running);
        var latency = Latency.Of(samples);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"GET {path} at {rate}/s for {seconds} s: {samples.Count / clock.Elapsed.TotalSeconds:F1}/s answered, {failed} failed, p50 {latency.P50:F2} / p95 {latency.P95:F2} / p99 {latency.P99:F2} / max {latency.Max:F2} ms"));
        return latency;
    }
}
