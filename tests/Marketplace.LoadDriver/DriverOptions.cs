using System.Globalization;

namespace Marketplace.LoadDriver;

public sealed record DriverOptions(Uri Url, IReadOnlyList<int> Rates, int DurationSeconds, int WarmupSeconds, int Products, int Buyers, string? Plot, string? Probe = null)
{
    public static DriverOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new DriverOptions(
            new Uri(Value("--url") ?? "http://127.0.0.1:5080/"),
            (Value("--rates") ?? "25,50,100").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToList(),
            Int("--duration", 20),
            Int("--warmup", 5),
            Int("--products", 8),
            Int("--buyers", 40),
            Value("--plot"),
            Value("--probe"));
    }
}
