using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Marketplace.LoadDriver;

public sealed record Latency(int Count, double P50, double P95, double P99, double Max)
{
    public static Latency Of(IEnumerable<TimeSpan> values)
    {
        var ms = values.Select(v => v.TotalMilliseconds).Order().ToArray();
        double At(double q) => ms.Length == 0 ? 0 : ms[Math.Min(ms.Length - 1, (int)Math.Ceiling(q * ms.Length) - 1)];
        return new Latency(ms.Length, At(0.50), At(0.95), At(0.99), ms.Length == 0 ? 0 : ms[^1]);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{P50:0} / {P95:0} / {P99:0} / {Max:0}");
}

/// <summary>CPU and memory of every marketplace process on this machine (the embedded host, the service hosts, the gateway).</summary>
public sealed class ProcessMeter
{
    private readonly Dictionary<int, (string Name, TimeSpan Cpu)> start = [];
    private readonly Dictionary<int, long> peak = [];

    public ProcessMeter()
    {
        foreach (var p in Marketplace())
        {
            start[p.Id] = (Name(p), p.TotalProcessorTime);
        }
    }

    public void Sample()
    {
        foreach (var p in Marketplace())
        {
            peak[p.Id] = Math.Max(peak.GetValueOrDefault(p.Id), p.WorkingSet64);
        }
    }

    public IReadOnlyList<ProcessFigure> Report(TimeSpan elapsed) =>
    [
        .. Marketplace().Where(p => start.ContainsKey(p.Id)).Select(p => new ProcessFigure(
            start[p.Id].Name, (p.TotalProcessorTime - start[p.Id].Cpu).TotalSeconds / elapsed.TotalSeconds * 100, peak.GetValueOrDefault(p.Id, p.WorkingSet64) / 1024 / 1024)),
    ];

    /// <summary>Service hosts, the embedded host and the gateway, whether started as apphosts or with <c>dotnet x.dll</c>; not this driver, not <c>dotnet run</c> itself.</summary>
    private static IEnumerable<Process> Marketplace() => Process.GetProcesses().Where(p =>
    {
        var command = CommandLine(p);
        return (p.ProcessName.StartsWith("Marketplace.", StringComparison.Ordinal)
                || (command.Contains("Marketplace.", StringComparison.Ordinal) && command.Contains(".dll", StringComparison.Ordinal)))
            && !command.Contains("LoadDriver", StringComparison.Ordinal) && !command.Contains(" run ", StringComparison.Ordinal)
            && !command.Contains("testhost", StringComparison.Ordinal) && !command.Contains("vstest", StringComparison.Ordinal);
    });

    /// <summary>The apphost's name, or the dll <c>dotnet</c> runs.</summary>
    private static string Name(Process p) =>
        CommandLine(p).Split(' ').FirstOrDefault(a => a.EndsWith(".dll", StringComparison.Ordinal)) is { } dll ? Path.GetFileNameWithoutExtension(dll) : p.ProcessName;

    private static string CommandLine(Process p)
    {
        try
        {
            return File.ReadAllText($"/proc/{p.Id}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}

/// <summary>One process: CPU as a percentage of one core over the stage, peak resident memory in MB.</summary>
public sealed record ProcessFigure(string Name, double CpuPercent, long PeakMb);

public sealed record StageReport(
    int OfferedRate, double AchievedRate, int Started, int Completed, Latency Place, Latency Quote, Latency Accept, Latency Complete, Latency EndToEnd,
    IReadOnlyDictionary<string, int> Errors, IReadOnlyList<ProcessFigure> Processes);

public sealed record LoadReport(DriverOptions Options, IReadOnlyList<StageReport> Stages, InvariantReport Invariants)
{
    public bool InvariantsHold => Invariants.Hold;

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"\n{Options.Url} — {Options.Products} products, {Options.Buyers} buyers, {Options.WarmupSeconds} s warm-up + {Options.DurationSeconds} s per rate, {Environment.ProcessorCount} cores\n");
        text.AppendLine("| offered /s | completed /s | trades | end-to-end p50 / p95 / p99 / max ms | order | quote | accept | licence | errors |");
        text.AppendLine("|---:|---:|---:|---|---|---|---|---|---|");
        foreach (var s in Stages)
        {
            var errors = s.Errors.Count == 0 ? "0" : string.Join(", ", s.Errors.Select(e => $"{e.Key} {e.Value}"));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.OfferedRate} | {s.AchievedRate:0.0} | {s.Completed}/{s.Started} | {s.EndToEnd} | {s.Place.P99:0} | {s.Quote.P99:0} | {s.Accept.P99:0} | {s.Complete.P99:0} | {errors} |");
        }

        text.AppendLine("\n(order, quote, accept, licence: p99 ms of each step)\n");
        text.AppendLine("| offered /s | process | CPU % of a core | peak RSS MB |");
        text.AppendLine("|---:|---|---:|---:|");
        foreach (var s in Stages)
        {
            foreach (var p in s.Processes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {s.OfferedRate} | {p.Name} | {p.CpuPercent:0} | {p.PeakMb} |");
            }
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"\ninvariants: {Invariants}");
        return text.ToString();
    }
}
