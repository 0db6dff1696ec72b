using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Rights;
using Marketplace.Rights.Delivery.Api;
using Marketplace.Rights.Delivery.Keys;
using Marketplace.Rights.Delivery.Usage;
using Marketplace.Tests.Support;
using Marketplace.Tests.Trades;

namespace Marketplace.Tests.Delivery;

/// <summary>
/// API access through the exchange's data plane: the provider's upstream with its credential kept secret, licence-scoped
/// keys, the licence's scope, rate and quota enforced, upstream failures answered as problems, revocation cutting
/// access, every call counted.
/// </summary>
public sealed class ApiDeliveryTests : IAsyncLifetime
{
    private readonly TradeSteps s = TradeSteps.NewHost(new Dictionary<string, string?>
    {
        ["Rights:Delivery:UpstreamTimeout"] = "00:00:01",
        ["Rights:Delivery:RequestsPerSecond"] = "1000",
    });

    private TestUpstream upstream = null!;
    private DeliverySteps d = null!;

    public async Task InitializeAsync()
    {
        upstream = await TestUpstream.StartAsync();
        d = await DeliverySteps.TradedAsync(s);
    }

    public async Task DisposeAsync()
    {
        await s.DisposeAsync();
        await upstream.DisposeAsync();
    }

    private object Source(string? baseUrl = null) => new
    {
        baseUrl = baseUrl ?? upstream.Url + "/base",
        methods = new[] { "GET", "POST" },
        pathPrefixes = new[] { "/v1/" },
        credentialHeader = "X-Upstream-Token",
        credential = "upstream-s3cret",
        recordsHeader = "X-Record-Count",
    };

    private async Task<string> ConfiguredKeyAsync(string? baseUrl = null)
    {
        await Expect.Status(await d.Provider.PutAsJsonAsync($"/rights/products/{d.Sale.ProductId}/api-source", Source(baseUrl)), HttpStatusCode.OK);
        return await KeyAsync(d.BuyerClient, d.Licence);
    }

    private static async Task<string> KeyAsync(HttpClient buyer, Guid licence)
    {
        var created = await buyer.PostAsync($"/rights/licences/{licence}/keys", null);
        await Expect.Status(created, HttpStatusCode.Created);
        return (await created.Content.ReadFromJsonAsync<ApiKeyResponse>(EmbeddedMarketplace.Json))!.Key!;
    }

    private Task<HttpResponseMessage> CallAsync(string key, string path, HttpMethod? method = null, Guid? licence = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, $"/rights/delivery/api/{licence ?? d.Licence}{path}");
        request.Headers.TryAddWithoutValidation(DataPlane.KeyHeader, key);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer buyer-token-not-for-upstream");
        request.Headers.TryAddWithoutValidation("Cookie", "session=1");
        return s.M.Anonymous().SendAsync(request);
    }

    [Fact]
    public async Task A_call_with_the_licences_key_reaches_the_upstream_with_the_providers_credential_and_is_counted()
    {
        var key = await ConfiguredKeyAsync();
        var source = await d.Provider.GetStringAsync($"/rights/products/{d.Sale.ProductId}/api-source");
        Assert.DoesNotContain("s3cret", source);
        Assert.True(JsonDocument.Parse(source).RootElement.GetProperty("hasCredential").GetBoolean());
        Assert.DoesNotContain("s3cret", await s.M.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.delivery_api_sources WHERE credential LIKE '%s3cret%'") == 0 ? "" : "s3cret");
        var keys = await d.BuyerClient.GetStringAsync($"/rights/licences/{d.Licence}/keys");
        Assert.DoesNotContain(key, keys);

        var response = await CallAsync(key, "/v1/traffic/hourly?day=2025-01-01&city=上海");
        await Expect.Status(response, HttpStatusCode.OK);
        var echo = (await response.Content.ReadFromJsonAsync<Echo>())!;
        Assert.Equal(("GET", "/base/v1/traffic/hourly", "upstream-s3cret"), (echo.Method, echo.Path, echo.Token));
        Assert.Contains("day=2025-01-01", echo.Query);
        Assert.Equal(new Uri(upstream.Url).Authority, echo.Host);
        Assert.Null(echo.ApiKey);
        Assert.Null(echo.Authorization);
        Assert.Null(echo.Cookie);
        Assert.Equal("42", response.Headers.GetValues("X-Record-Count").Single());

        await Expect.Status(await CallAsync(key, "/v1/traffic", HttpMethod.Post), HttpStatusCode.OK);
        await s.M.Get<DeliveryRecorder>().FlushAsync(default);
        var usage = await s.M.CountAsync<RightsDb>("SELECT calls * 1000 + records FROM rights.delivery_usage WHERE licence_id = @Licence", new { d.Licence });
        Assert.Equal(2 * 1000 + 84, usage);
    }

    [Fact]
    public async Task Nothing_outside_the_licences_scope_reaches_the_upstream()
    {
        var key = await ConfiguredKeyAsync();
        var before = upstream.Calls;
        foreach (var path in new[] { "/v2/anything", "/v1", "/admin", "/v1/%2e%2e/admin", "/v1/a%2Fb", "/v1/a%5Cb", "/v1/%252e%252e/x", "/v1//x" })
        {
            var refused = await Expect.Problem(await CallAsync(key, path), HttpStatusCode.Forbidden);
            Assert.Equal("path-not-licensed", refused.GetProperty("reason").GetString());
        }

        var method = await CallAsync(key, "/v1/x", HttpMethod.Delete);
        await Expect.Problem(method, HttpStatusCode.MethodNotAllowed);
        Assert.Equal(["GET", "POST"], method.Content.Headers.Allow);
        Assert.Equal(before, upstream.Calls);
    }

    [Fact]
    public async Task Only_a_genuine_current_key_of_this_licence_opens_it()
    {
        var key = await ConfiguredKeyAsync();
        var other = await s.BuyerAsync();
        var otherLicence = (await s.CompletedAsync(other, d.Sale)).LicenceId!.Value;
        var otherKey = await KeyAsync(s.As(other, "buyer"), otherLicence);

        foreach (var bad in new[] { "", "mk_x", key[..^2] + "zz", "mk_aaaaaaaa_" + new string('A', 43) })
        {
            var refused = await Expect.Problem(await CallAsync(bad, "/v1/x"), HttpStatusCode.Unauthorized);
            Assert.Equal("key-invalid", refused.GetProperty("reason").GetString());
        }

        Assert.Equal("key-not-for-licence", (await Expect.Problem(await CallAsync(otherKey, "/v1/x"), HttpStatusCode.Forbidden)).GetProperty("reason").GetString());
        await Expect.Status(await CallAsync(otherKey, "/v1/x", licence: otherLicence), HttpStatusCode.OK);

        // Rotated: the old key stops at once, the new one works; revoked: stops at once.
        var id = (await d.BuyerClient.GetFromJsonAsync<List<ApiKeyResponse>>($"/rights/licences/{d.Licence}/keys", EmbeddedMarketplace.Json))!.Single().Id;
        var rotated = await d.BuyerClient.PostAsync($"/rights/licences/{d.Licence}/keys/{id}/rotate", null);
        await Expect.Status(rotated, HttpStatusCode.Created);
        var fresh = (await rotated.Content.ReadFromJsonAsync<ApiKeyResponse>(EmbeddedMarketplace.Json))!;
        await Expect.Problem(await CallAsync(key, "/v1/x"), HttpStatusCode.Unauthorized);
        await Expect.Status(await CallAsync(fresh.Key!, "/v1/x"), HttpStatusCode.OK);
        await Expect.Status(await s.M.Operator().PostAsync($"/rights/licences/{d.Licence}/keys/{fresh.Id}/revoke", null), HttpStatusCode.OK);
        await Expect.Problem(await CallAsync(fresh.Key!, "/v1/x"), HttpStatusCode.Unauthorized);
        await Expect.Problem(await d.BuyerClient.PostAsync($"/rights/licences/{d.Licence}/keys/{fresh.Id}/revoke", null), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_licence_has_at_most_the_configured_keys_in_force()
    {
        await ConfiguredKeyAsync();
        for (var i = 1; i < 5; i++)
        {
            await KeyAsync(d.BuyerClient, d.Licence);
        }

        var refused = await Expect.Problem(await d.BuyerClient.PostAsync($"/rights/licences/{d.Licence}/keys", null), HttpStatusCode.Conflict);
        Assert.Equal("too-many-keys", refused.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_spent_quota_is_refused_naming_it()
    {
        var key = await ConfiguredKeyAsync();
        await using (var connection = await s.M.Get<RightsDb>().OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE rights.licences SET usage_limit = 2 WHERE id = @Licence", new { d.Licence });
        }

        var gate = s.M.Get<Marketplace.Rights.Delivery.DeliveryGate>();
        await Eventually.True(
            async () => (await gate.CheckAsync(d.Licence, Marketplace.Contracts.Catalog.DeliveryMethod.Api, default))!.Licence.UsageLimit == 2,
            what: "the licence read again");
        await Expect.Status(await CallAsync(key, "/v1/x"), HttpStatusCode.OK);
        await s.M.Get<DeliveryRecorder>().FlushAsync(default); // one call written, one counted in memory: both count
        await Expect.Status(await CallAsync(key, "/v1/x"), HttpStatusCode.OK);
        var spent = await Expect.Problem(await CallAsync(key, "/v1/x"), HttpStatusCode.TooManyRequests);
        Assert.Equal(("quota-spent", 2), (spent.GetProperty("reason").GetString(), spent.GetProperty("limit").GetInt32()));
    }

    [Fact]
    public async Task Upstream_failures_are_answered_as_problems()
    {
        var key = await ConfiguredKeyAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, (await CallAsync(key, "/v1/broken")).StatusCode); // the upstream's own answer, passed on
        var slow = await Expect.Problem(await CallAsync(key, "/v1/slow"), HttpStatusCode.GatewayTimeout);
        Assert.Equal("upstream-timeout", slow.GetProperty("reason").GetString());

        await using var closed = await TestUpstream.StartAsync();
        var deadUrl = closed.Url;
        await closed.DisposeAsync();
        await Expect.Status(await d.Provider.PutAsJsonAsync($"/rights/products/{d.Sale.ProductId}/api-source", Source(deadUrl)), HttpStatusCode.OK);
        await Eventually.True(
            async () => (await CallAsync(key, "/v1/x")) is { StatusCode: HttpStatusCode.BadGateway } down
                && (await down.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString() == "upstream-failed",
            what: "502 once the new upstream is read");
    }

    [Fact]
    public async Task Revoking_the_licence_cuts_the_data_plane()
    {
        var key = await ConfiguredKeyAsync();
        await Expect.Status(await CallAsync(key, "/v1/x"), HttpStatusCode.OK);
        await Expect.Status(await s.M.Operator().PostAsJsonAsync($"/rights/licences/{d.Licence}/revoke", new { reason = "退款" }), HttpStatusCode.OK);
        await Eventually.True(
            async () => (await CallAsync(key, "/v1/x")) is { StatusCode: HttpStatusCode.Forbidden } refused
                && (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString() == "licence-revoked",
            TimeSpan.FromSeconds(2), "the revocation cutting access");
        await Expect.Problem(await d.BuyerClient.PostAsync($"/rights/licences/{d.Licence}/keys", null), HttpStatusCode.Forbidden);
    }

    public static TheoryData<string, object, string> BadSources() => new()
    {
        { "ftp", new { baseUrl = "ftp://127.0.0.1/x", methods = new[] { "GET" }, pathPrefixes = new[] { "/v1/" } }, "baseUrl" },
        { "a query", new { baseUrl = "http://127.0.0.1/x?a=1", methods = new[] { "GET" }, pathPrefixes = new[] { "/v1/" } }, "baseUrl" },
        { "a user", new { baseUrl = "http://u:p@127.0.0.1/x", methods = new[] { "GET" }, pathPrefixes = new[] { "/v1/" } }, "baseUrl" },
        { "relative prefix", new { baseUrl = "http://127.0.0.1/", methods = new[] { "GET" }, pathPrefixes = new[] { "v1/" } }, "pathPrefixes[0]" },
        { "dot segment", new { baseUrl = "http://127.0.0.1/", methods = new[] { "GET" }, pathPrefixes = new[] { "/v1/../admin" } }, "pathPrefixes[0]" },
        { "encoded", new { baseUrl = "http://127.0.0.1/", methods = new[] { "GET" }, pathPrefixes = new[] { "/v1%2F" } }, "pathPrefixes[0]" },
        { "a lowercase method", new { baseUrl = "http://127.0.0.1/", methods = new[] { "get" }, pathPrefixes = new[] { "/v1/" } }, "methods" },
        { "the Host header", new { baseUrl = "http://127.0.0.1/", methods = new[] { "GET" }, pathPrefixes = new[] { "/" }, credentialHeader = "Host", credential = "x" }, "credentialHeader" },
        { "not ASCII", new { baseUrl = "http://127.0.0.1/", methods = new[] { "GET" }, pathPrefixes = new[] { "/" }, credentialHeader = "X-T", credential = "令牌" }, "credential" },
        { "a line break", new { baseUrl = "http://127.0.0.1/", methods = new[] { "GET" }, pathPrefixes = new[] { "/" }, credentialHeader = "X-T", credential = "a\r\nX-Evil: 1" }, "credential" },
    };

    [Theory]
    [MemberData(nameof(BadSources))]
    public async Task An_upstream_that_could_be_abused_is_refused_field_by_field(string why, object body, string field)
    {
        _ = why;
        await Expect.ValidationProblem(await d.Provider.PutAsJsonAsync($"/rights/products/{d.Sale.ProductId}/api-source", body), field);
        await Expect.Problem(await d.Provider.GetAsync($"/rights/products/{d.Sale.ProductId}/api-source"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_the_provider_sets_the_upstream_and_only_the_licensee_makes_keys()
    {
        var stranger = (await s.M.AdmitAsync()).Id;
        var url = $"/rights/products/{d.Sale.ProductId}/api-source";
        await Expect.Problem(await s.As(stranger, "provider").PutAsJsonAsync(url, Source()), HttpStatusCode.NotFound);
        await Expect.Problem(await d.BuyerClient.PutAsJsonAsync(url, Source()), HttpStatusCode.Forbidden);
        await Expect.Status(await d.Provider.PutAsJsonAsync(url, Source()), HttpStatusCode.OK);
        await Expect.Problem(await s.As(stranger, "buyer").GetAsync(url), HttpStatusCode.NotFound);
        await Expect.Status(await s.M.Operator().GetAsync(url), HttpStatusCode.OK);

        await Expect.Problem(await s.As(stranger, "buyer").PostAsync($"/rights/licences/{d.Licence}/keys", null), HttpStatusCode.NotFound);
        await Expect.Problem(await d.Provider.PostAsync($"/rights/licences/{d.Licence}/keys", null), HttpStatusCode.Forbidden);
        await Expect.Problem(await s.As(stranger, "buyer").GetAsync($"/rights/licences/{d.Licence}/keys"), HttpStatusCode.NotFound);

        // The first credential must come with its header; later writes may leave it out and keep it.
        var keep = new { baseUrl = upstream.Url + "/base", methods = new[] { "GET" }, pathPrefixes = new[] { "/v1/" }, credentialHeader = "X-Upstream-Token" };
        var kept = await d.Provider.PutAsJsonAsync(url, keep);
        await Expect.Status(kept, HttpStatusCode.OK);
        Assert.True((await kept.Content.ReadFromJsonAsync<ApiSourceResponse>(EmbeddedMarketplace.Json))!.HasCredential);
        var key = await KeyAsync(d.BuyerClient, d.Licence);
        var echo = await (await CallAsync(key, "/v1/x")).Content.ReadFromJsonAsync<Echo>();
        Assert.Equal("upstream-s3cret", echo!.Token);
    }
}

/// <summary>The data plane's rate per licence: past it, 429 with Retry-After, and the upstream is not called.</summary>
public sealed class DataPlaneRateTests
{
    [Fact]
    public async Task Calls_past_the_licences_rate_are_429_with_retry_after()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var s = TradeSteps.NewHost(new Dictionary<string, string?> { ["Rights:Delivery:RequestsPerSecond"] = "3" });
        var d = await DeliverySteps.TradedAsync(s);
        await Expect.Status(await d.Provider.PutAsJsonAsync($"/rights/products/{d.Sale.ProductId}/api-source", new
        {
            baseUrl = upstream.Url, methods = new[] { "GET" }, pathPrefixes = new[] { "/v1/" },
        }), HttpStatusCode.OK);
        var created = await d.BuyerClient.PostAsync($"/rights/licences/{d.Licence}/keys", null);
        var key = (await created.Content.ReadFromJsonAsync<ApiKeyResponse>(EmbeddedMarketplace.Json))!.Key!;

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 10; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/rights/delivery/api/{d.Licence}/v1/x");
            request.Headers.Add(DataPlane.KeyHeader, key);
            answers.Add(await s.M.Anonymous().SendAsync(request));
        }

        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.True(answers.Count(a => a.StatusCode == HttpStatusCode.OK) >= 3, "the first three of the second pass");
        Assert.Equal(answers.Count(a => a.StatusCode == HttpStatusCode.OK), upstream.Calls);
        var problem = await Expect.Problem(limited[0], HttpStatusCode.TooManyRequests);
        Assert.Equal("rate-limited", problem.GetProperty("reason").GetString());
        Assert.Equal(TimeSpan.FromSeconds(1), limited[0].Headers.RetryAfter!.Delta);
    }
}
