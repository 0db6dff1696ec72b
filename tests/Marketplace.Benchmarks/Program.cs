using System.Globalization;
using Marketplace.Benchmarks;

// dotnet run -c Release --project tests/Marketplace.Benchmarks -- ledger [entries] [concurrency]
// dotnet run -c Release --project tests/Marketplace.Benchmarks -- search [products] [queries]
// dotnet run -c Release --project tests/Marketplace.Benchmarks -- micro [BenchmarkDotNet arguments]
// dotnet run -c Release --project tests/Marketplace.Benchmarks -- journal [entries]
// dotnet run -c Release --project tests/Marketplace.Benchmarks -- limits [count] [concurrency] [rabbitmq url]
// dotnet run -c Release --project tests/Marketplace.Benchmarks -- delivery [seconds] [concurrency] [file MiB]   (after dotnet build -c Release)
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
switch (args.FirstOrDefault() ?? "ledger")
{
    case "ledger":
        await LedgerBenchmark.RunAsync(Arg(1, 5000), Arg(2, 64));
        break;
    case "search":
        await SearchBenchmark.RunAsync(Arg(1, 1_000_000), Arg(2, 2000));
        break;
    case "micro":
        BenchmarkDotNet.Running.BenchmarkRunner.Run<MicroBenchmarks>(args: [.. args.Skip(1)]);
        break;
    case "delivery":
        await DeliveryBenchmark.RunAsync(Arg(1, 10), Arg(2, 32), Arg(3, 256));
        break;
    case "journal":
        await JournalBenchmark.RunAsync(Arg(1, 1_000_000));
        break;
    case "limits":
        await LimitsBenchmark.RunAsync(Arg(1, 20_000), Arg(2, 64), args.Length > 3 ? args[3] : "amqp://guest:guest@127.0.0.1:5672/");
        break;
    default:
        Console.Error.WriteLine("usage: ledger [entries] [concurrency] | search [products] [queries] | micro | journal [entries] | delivery [seconds] [concurrency] [file MiB] | limits [count] [concurrency] [rabbitmq url]");
        return 2;
}

return 0;
