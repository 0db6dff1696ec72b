using Marketplace.Benchmarks;

// dotnet run -c Release --project tests/Marketplace.Benchmarks -- [entries] [concurrency]
var entries = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5000;
var concurrency = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 64;
await LedgerBenchmark.RunAsync(entries, concurrency);
