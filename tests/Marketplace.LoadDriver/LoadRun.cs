using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Marketplace.Demo;

namespace Marketplace.LoadDriver;

/// <summary>
/// Open-loop load: for each offered rate, trades start on a fixed schedule whatever the earlier ones are doing (so a
/// slow system builds a queue instead of slowing the driver down), for a warm-up and then the measured duration. A
/// trade is the buyer's whole path: order → quoted → accept (which completes it). Afterwards the invariants are
/// checked: every order ended, the ledger reconciles, the journal verifies, one licence per completed trade.
/// </summary>
public sealed class LoadRun(DriverOptions options, TextWriter progress)
{
    private static readonly string[] Terminal = ["completed", "rejected", "expired", "cancelled", "failed", "refunded"];
    // No cap on connections: every trade in flight holds one for its long poll, and with a cap a trade's next step would
    // queue inside the driver behind other trades' polls — past the knee the driver would measure itself.
    private readonly HttpClient http = NewClient(options.Url);

    /// <summary>The driver's HTTP client (the probe uses the same).</summary>
    internal static HttpClient NewClient(Uri url) => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = url,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>Runs alongside the load, from the first trade until the last one is started (then it is cancelled):
    /// the fault injection of the reliability suite.</summary>
    public Func<CancellationToken, Task>? WhileLoaded { get; init; }

    public async Task<LoadReport> RunAsync(CancellationToken ct)
    {
        var api = new MarketplaceClient(http);
        var market = await Setup.PrepareAsync(api, options, progress, ct);
        var stages = new List<StageReport>();
        using var loaded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var alongside = WhileLoaded is { } work ? Task.Run(() => work(loaded.Token), CancellationToken.None) : Task.CompletedTask;
        try
        {
            for (var i = 0; i < options.Rates.Count; i++)
            {
                stages.Add(await StageAsync(api, market, options.Rates[i], last: i == options.Rates.Count - 1, loaded, ct));
            }
        }
        finally
        {
            await loaded.CancelAsync();
            try
            {
                await alongside;
            }
            catch (OperationCanceledException)
            {
                // Stopped with the load, as it should be.
            }
        }

        progress.WriteLine("checking the invariants …");
        var invariants = await Invariants.CheckAsync(api, market, ct);
        return new LoadReport(options, stages, invariants);
    }

    private async Task<StageReport> StageAsync(MarketplaceClient api, Setup.Market market, int rate, bool last, CancellationTokenSource loaded, CancellationToken ct)
    {
        var samples = new ConcurrentBag<TradeSample>();
        var errors = new ConcurrentDictionary<string, int>();
        var inFlight = new List<Task>();
        var started = 0;
        var processes = new ProcessMeter();
        var clock = Stopwatch.StartNew();
        var total = TimeSpan.FromSeconds(options.WarmupSeconds + options.DurationSeconds);
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var lastReport = TimeSpan.Zero;
        var measuredFrom = TimeSpan.FromSeconds(options.WarmupSeconds);
        while (clock.Elapsed < total)
        {
            // One reading of the clock: read twice, the wait could come out between -1 and -2 ms, which Task.Delay
            // takes for "forever" (-1 ms is Timeout.InfiniteTimeSpan) — the driver hung there under heavy load.
            var wait = interval * started - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct);
            }

            var measured = clock.Elapsed >= measuredFrom;
            var n = started++;
            inFlight.Add(Task.Run(() => TradeAsync(api, market, n, measured, samples, errors, ct), ct));
            if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(1))
            {
                lastReport = clock.Elapsed;
                processes.Sample();
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {rate,5}/s  t={clock.Elapsed.TotalSeconds,5:0.0}s  started {started,6}  completed {samples.Count(s => s.Completed),6}  in flight {inFlight.Count(t => !t.IsCompleted),5}  errors {errors.Values.Sum(),4}"));
            }
        }

        var offeredFor = clock.Elapsed - measuredFrom;
        if (last)
        {
            await loaded.CancelAsync(); // the faults stop with the last trade started; the in-flight ones finish after them
        }

        await Task.WhenAny(Task.WhenAll(inFlight), Task.Delay(TimeSpan.FromSeconds(90), ct));
        processes.Sample();
        var measuredSamples = samples.Where(s => s.Measured).ToList();
        var completed = measuredSamples.Where(s => s.Completed).ToList();
        var lastCompletion = completed.Count == 0 ? offeredFor : completed.Max(s => s.FinishedAt) - measuredFrom;
        return new StageReport(
            rate,
            completed.Count / Math.Max(offeredFor.TotalSeconds, lastCompletion.TotalSeconds),
            measuredSamples.Count,
            completed.Count,
            Latency.Of(completed.Select(s => s.Place)),
            Latency.Of(completed.Select(s => s.Quote)),
            Latency.Of(completed.Select(s => s.Accept)),
            Latency.Of(completed.Select(s => s.Complete)),
            Latency.Of(completed.Select(s => s.EndToEnd)),
            new Dictionary<string, int>(errors),
            processes.Report(clock.Elapsed));

        async Task TradeAsync(
            MarketplaceClient client, Setup.Market m, int n, bool measuredTrade, ConcurrentBag<TradeSample> bag, ConcurrentDictionary<string, int> errs,
            CancellationToken token)
        {
            var buyer = m.Buyers[n % m.Buyers.Count];
            var product = m.Products[n % m.Products.Count];
            var start = clock.Elapsed;
            try
            {
                var order = await client.SendTaggedAsync(buyer.Token, HttpMethod.Post, "/settlement/orders",
                    new { productId = product.ProductId, planId = product.PlanId, quantity = 1, purpose = "负载测试" }, HttpStatusCode.Created, token);
                var id = order.Body.GetProperty("id").GetGuid();
                var placed = clock.Elapsed;
                await client.OrderInAsync(buyer.Token, id, "quoted", token, order);
                var quoted = clock.Elapsed;
                var accept = await client.SendTaggedAsync(buyer.Token, HttpMethod.Post, $"/settlement/orders/{id}/accept", null, HttpStatusCode.OK, token);
                var accepted = clock.Elapsed;
                await client.OrderInAsync(buyer.Token, id, "completed", token, accept);
                var done = clock.Elapsed;
                bag.Add(new TradeSample(measuredTrade, true, placed - start, quoted - placed, accepted - quoted, done - accepted, done - start, done));
            }
            catch (Exception e) when (e is DemoFailedException or HttpRequestException or TaskCanceledException)
            {
                errs.AddOrUpdate(Kind(e), 1, (_, c) => c + 1);
                bag.Add(new TradeSample(measuredTrade, false, default, default, default, default, clock.Elapsed - start, clock.Elapsed));
            }
        }
    }

    private static string Kind(Exception e) => e switch
    {
        TaskCanceledException => "timeout",
        HttpRequestException => "connection",
        _ when e.Message.Contains("answered 503", StringComparison.Ordinal) => "at capacity (503)",
        _ when e.Message.Contains("answered 5", StringComparison.Ordinal) => "5xx",
        _ when System.Text.RegularExpressions.Regex.Match(e.Message, @"answered (\d{3})") is { Success: true } m => "http " + m.Groups[1].Value,
        _ when e.Message.Contains("ended", StringComparison.Ordinal) => e.Message[(e.Message.IndexOf("ended", StringComparison.Ordinal) + 6)..].Split(':')[0],
        _ when e.Message.Contains("waited", StringComparison.Ordinal) => "stuck",
        _ => "other",
    };

    internal static bool IsTerminal(JsonElement order) => Terminal.Contains(order.GetProperty("status").GetString());
}

public sealed record TradeSample(bool Measured, bool Completed, TimeSpan Place, TimeSpan Quote, TimeSpan Accept, TimeSpan Complete, TimeSpan EndToEnd, TimeSpan FinishedAt);
