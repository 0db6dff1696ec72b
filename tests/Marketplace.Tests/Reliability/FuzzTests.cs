using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.Tests.Catalog;
using Marketplace.Tests.Reliability.Fuzzing;
using Marketplace.Tests.Support;
using Marketplace.Tests.Trades;
using Xunit.Abstractions;

namespace Marketplace.Tests.Reliability;

/// <summary>
/// Malformed and extreme requests, generated from the four services' OpenAPI documents, sent through real Kestrel
/// by every kind of caller at a market holding one real trade. Never a 5xx; and a refused request changes nothing:
/// the stored state is fingerprinted before and after each one. <c>FUZZ_REQUESTS</c> (default 400) and
/// <c>FUZZ_SEED</c> set the run's length and seed; the long run is in tests/Marketplace.Tests/Reliability/RELIABILITY.md.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Malformed_requests_never_get_a_5xx_and_a_refused_one_changes_nothing()
    {
        var requests = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_REQUESTS"), out var n) ? n : 400;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var sd) ? sd : 20261125;
        await using var s = TradeSteps.NewHost();
        s.M.UseKestrel(0);
        var f = await MarketFixture.CreateAsync(s);

        var operations = new List<OpenApiOperation>();
        foreach (var service in new[] { "catalog", "rights", "pricing", "settlement" })
        {
            operations.AddRange(OpenApiOperation.Read(await s.M.Anonymous().GetFromJsonAsync<JsonElement>($"/{service}/openapi.json")));
        }

        var random = new Random(seed);
        var fuzzer = new RequestFuzzer(random, Samples(f), name => name switch
        {
            "number" => random.Next(2) == 0 ? f.Certificate : f.Voucher,
            "year" => "2026",
            _ => f.Ids[random.Next(f.Ids.Count)].ToString(),
        });
        var callers = new[]
        {
            s.M.Operator(), s.M.ClientAs(f.Provider, Roles.Provider), s.M.ClientAs(f.Buyer, Roles.Buyer),
            s.M.ClientAs(f.Stranger, Roles.Provider, Roles.Buyer),
        };

        var state = await StateDigest.SettledAsync(s.M.DataDirectory);
        var statuses = new SortedDictionary<int, int>();
        var failures = new List<string>();
        var previous = new string?[callers.Length];
        for (var i = 0; i < requests && failures.Count < 10; i++)
        {
            var operation = operations[random.Next(operations.Count)];
            using var request = fuzzer.Next(operation);
            var described = $"#{i} (seed {seed}) {request.Method} {Shorten(request.RequestUri!.ToString())} body {Shorten(request.Content is null ? "" : await request.Content.ReadAsStringAsync())}";
            HttpResponseMessage response;
            var caller = random.Next(callers.Length);
            try
            {
                response = await callers[caller].SendAsync(request);
            }
            catch (HttpRequestException e)
            {
                // The host dropped the connection instead of answering: as much a failure as a 5xx, named with its request.
                failures.Add($"{described} → no answer: {e.InnerException?.Message ?? e.Message} (this caller's previous request: {previous[caller]})");
                continue;
            }

            previous[caller] = $"{described} → {(int)response.StatusCode} {string.Join(";", response.Headers.Connection)}";

            using var answered = response;
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500)
            {
                failures.Add($"{described} → {status} {Shorten(await response.Content.ReadAsStringAsync())}");
            }
            else if (status >= 400)
            {
                if (await StateDigest.OfAsync(s.M.DataDirectory) != state)
                {
                    failures.Add($"{described} → {status}, yet the stored state changed");
                    state = await StateDigest.SettledAsync(s.M.DataDirectory);
                }
                else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json" && !RefusedByKestrel(response))
                {
                    failures.Add($"{described} → {status} without a ProblemDetails body");
                }
            }
            else
            {
                state = await StateDigest.SettledAsync(s.M.DataDirectory);
            }
        }

        output.WriteLine($"{requests} requests over {operations.Count} operations, seed {seed}: " + string.Join(", ", statuses.Select(x => $"{x.Key}×{x.Value}")));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(statuses.Where(x => x.Key is >= 400 and < 500).Sum(x => x.Value) > requests / 2, "most fuzzed requests are refused");
    }

    /// <summary>Known-good bodies to break, so mutations reach past the first validation rule into the handlers.</summary>
    private static Dictionary<string, Func<JsonNode>> Samples(MarketFixture f) => new()
    {
        ["CreateProduct"] = () => JsonSerializer.SerializeToNode(ProductSteps.Content())!,
        ["PublishPricePlan"] = () => JsonNode.Parse("""{"kind":"oneOff","name":"年度授权","price":100000,"termDays":365}""")!,
        ["PlaceOrder"] = () => JsonSerializer.SerializeToNode(new { productId = f.Product, planId = f.Plan, quantity = 1, purpose = "研究" })!,
        ["RequestWithdrawal"] = () => JsonNode.Parse("""{"amount":100,"currency":"CNY","bankAccount":"6222 0000 1111 2222"}""")!,
        ["ValueProduct"] = () => JsonNode.Parse("""{"method":"cost","cost":{"items":[{"category":"acquisition","amount":300000}],"profitRateBps":2000,"qualityFactor":1.0}}""")!,
        ["DisputeTrade"] = () => JsonNode.Parse("""{"grounds":"数据与描述不符"}""")!,
        ["AdmitParticipant"] = () => JsonSerializer.SerializeToNode(new { name = "模糊测试有限公司", jurisdiction = "mainland", creditCode = Codes.NewCreditCode(), roles = new[] { "buyer" }, qualification = "basic" })!,
    };

    /// <summary>A request line Kestrel cannot accept (too long, a NUL in the path) is refused before any of the
    /// marketplace's code runs, with an empty body; everything the application answers carries a ProblemDetails.</summary>
    private static bool RefusedByKestrel(HttpResponseMessage response) =>
        response.StatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.RequestUriTooLong or System.Net.HttpStatusCode.RequestHeaderFieldsTooLarge
        && response.Content.Headers.ContentLength == 0;

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + $"…({text.Length} chars)";
}
