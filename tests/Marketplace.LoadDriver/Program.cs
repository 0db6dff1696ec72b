using System.Globalization;

namespace Marketplace.LoadDriver;

/// <summary>
/// <c>dotnet run -c Release --project tests/Marketplace.LoadDriver -- [--url http://127.0.0.1:5080] [--rates 25,50,100]
/// [--duration 20] [--warmup 5] [--products 8] [--buyers 40] [--plot curve.png]</c>, or <c>--probe /path --rates N
/// --duration S</c> (<see cref="ProbeRun"/>). An explicit class: ASP.NET Core
/// comes in with the demo client, and top-level statements would then make a public <c>Program</c>.
/// </summary>
internal static class DriverProgram
{
    public static async Task<int> Main(string[] args)
    {
        var options = DriverOptions.Parse(args);
        if (!options.Url.IsLoopback)
        {
            Console.Error.WriteLine("The load driver targets 127.0.0.1 only.");
            return 2;
        }

        if (options.Probe is { } probe)
        {
            await ProbeRun.RunAsync(options.Url, probe, options.Rates[0], options.DurationSeconds, Console.Out);
            return 0;
        }

        var report = await new LoadRun(options, Console.Out).RunAsync(CancellationToken.None);
        Console.WriteLine(report.ToMarkdown());
        if (options.Plot is { } plot)
        {
            Curve.Draw(report, plot);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"curve drawn to {plot}"));
        }

        return report.InvariantsHold ? 0 : 1;
    }
}
