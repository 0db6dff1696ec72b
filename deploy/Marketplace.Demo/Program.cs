namespace Marketplace.Demo;

/// <summary>
/// <c>dotnet run --project deploy/Marketplace.Demo [-- http://127.0.0.1:5080]</c>. An explicit class rather than top-level
/// statements: with ASP.NET Core referenced (the demo's own upstream) those would make a public <c>Program</c> that
/// collides with the embedded host's in the tests.
/// </summary>
internal static class DemoProgram
{
    public static async Task<int> Main(string[] args)
    {
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
    }
}
