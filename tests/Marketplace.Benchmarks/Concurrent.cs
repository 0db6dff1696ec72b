using System.Diagnostics;

namespace Marketplace.Benchmarks;

/// <summary>Runs an operation <c>count</c> times from <c>concurrency</c> workers and times each run.</summary>
internal static class Concurrent
{
    public static async Task<Timings> RunAsync(int count, int concurrency, Func<int, Task> operation)
    {
        var latencies = new double[count];
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(i);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        total.Stop();
        Array.Sort(latencies);
        return new Timings(latencies, total.Elapsed);
    }
}

/// <summary>Each run's milliseconds, sorted, and the whole run's time.</summary>
internal sealed record Timings(double[] Sorted, TimeSpan Elapsed)
{
    public double PerSecond => Sorted.Length / Elapsed.TotalSeconds;

    public double P(double q) => Sorted[Math.Min(Sorted.Length - 1, (int)(q * Sorted.Length))];

    public double Max => Sorted[^1];
}
