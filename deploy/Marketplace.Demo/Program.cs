using Marketplace.Demo;

// dotnet run --project deploy/Marketplace.Demo [-- http://127.0.0.1:5080]
var baseAddress = new Uri(args.FirstOrDefault() ?? "http://127.0.0.1:5080/");
using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
try
{
    await new DemoScenario(http, Console.Out).RunAsync(CancellationToken.None);
    return 0;
}
catch (DemoFailedException ex)
{
    Console.Error.WriteLine($"The demo stopped: {ex.Message}");
    return 1;
}
catch (HttpRequestException ex)
{
    Console.Error.WriteLine($"The marketplace at {baseAddress} did not answer ({ex.Message}). Start it first: dotnet run --project deploy/Marketplace.Embedded");
    return 2;
}
