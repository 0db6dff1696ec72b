using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.BuildingBlocks.Hosting;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.Tests.Catalog;
using Marketplace.Tests.Support;
using Marketplace.Tests.Trades;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Tests.Reliability;

/// <summary>
/// Every endpoint of the four services, taken from their OpenAPI documents (plus the few routes kept out of them),
/// called with no token, with each role, and as another participant on someone else's real object. What each may do
/// is declared once in <see cref="Matrix"/>: an endpoint without an entry fails the test, and so does an entry for an
/// endpoint that no longer exists. Refused calls must change nothing: the stored state is compared before and after.
/// </summary>
public sealed class AuthorizationMatrixTests
{
    private static readonly string[] Operator = [Roles.Operator];
    private static readonly string[] Provider = [Roles.Provider];
    private static readonly string[] Buyer = [Roles.Buyer];
    private static readonly string[] Participant = [Roles.Provider, Roles.Buyer];
    private static readonly string[] Anyone = [Roles.Provider, Roles.Buyer, Roles.Operator];

    // Declared before the matrix: static fields are initialised in the order they are written.
    private static readonly object PlanBody = new { kind = "oneOff", name = "年度授权", price = 100_000, termDays = 365 };

    private static readonly object ValuationBody = new
    {
        method = "cost",
        cost = new { items = new object[] { new { category = "acquisition", amount = 300_000 } }, profitRateBps = 2_000, qualityFactor = 1.0 },
    };

    private static readonly object ApiSourceBody = new
    {
        baseUrl = "http://127.0.0.1:9/base", methods = new[] { "GET" }, pathPrefixes = new[] { "/v1/" }, credentialHeader = "X-Token", credential = "secret",
    };

    private static readonly object RegistrationBody = new
    {
        productId = Guid.CreateVersion7(),
        rights = new[] { "holding" },
        holders = new[] { new { holderId = Guid.CreateVersion7(), shareBps = 10_000 } },
        manifestSha256 = new string('a', 64),
        sourceDescription = "自行采集",
        lawfulBasis = "依据数据共享协议取得",
    };

    /// <summary>Who may call each endpoint; <c>Owned</c> names the real object and its owner for endpoints that
    /// a participant may use only on its own objects (an operator may use them on any).</summary>
    private static readonly Dictionary<string, Access> Matrix = new()
    {
        ["POST /catalog/participants"] = new(Operator),
        ["GET /catalog/participants"] = new(Operator),
        ["GET /catalog/participants/{id}"] = new(Anyone, Own(f => f.Provider, f => f.Provider, Roles.Provider)),
        ["GET /catalog/participants/{id}/history"] = new(Anyone, Own(f => f.Provider, f => f.Provider, Roles.Provider)),
        ["PUT /catalog/participants/{id}/qualification"] = new(Operator),
        ["POST /catalog/participants/{id}/suspend"] = new(Operator),
        ["POST /catalog/participants/{id}/reinstate"] = new(Operator),
        ["POST /catalog/products"] = new(Provider),
        ["GET /catalog/products"] = new(Anyone),
        ["GET /catalog/products/{id}"] = new(Anyone),
        ["GET /catalog/products/{id}/certificates"] = new(Anyone),
        ["GET /catalog/products/{id}/history"] = new(Anyone, Own(f => f.Product, f => f.Provider, Roles.Provider)),
        ["PUT /catalog/products/{id}/draft"] = new(Provider, Own(f => f.Product, f => f.Provider, Roles.Provider, ProductSteps.Content())),
        ["POST /catalog/products/{id}/submit"] = new(Provider, Own(f => f.Product, f => f.Provider, Roles.Provider)),
        ["POST /catalog/products/{id}/review"] = new(Operator),
        ["POST /catalog/products/{id}/approve"] = new(Operator),
        ["POST /catalog/products/{id}/reject"] = new(Operator),
        ["POST /catalog/products/{id}/suspend"] = new(Operator),
        ["POST /catalog/products/{id}/reinstate"] = new(Operator),
        ["POST /catalog/products/{id}/delist"] = new(Operator),
        ["GET /catalog/search"] = new(Anyone),

        ["POST /rights/registrations"] = new(Provider),
        ["GET /rights/registrations"] = new(Anyone),
        ["GET /rights/registrations/{id}"] = new(Anyone),
        ["PUT /rights/registrations/{id}"] = new(Provider, Own(f => f.Registration, f => f.Provider, Roles.Provider, RegistrationBody)),
        ["GET /rights/registrations/{id}/history"] = new(Anyone),
        ["GET /rights/registrations/{id}/objections"] = new(Anyone),
        ["POST /rights/registrations/{id}/objections"] = new(Participant),
        ["GET /rights/registrations/{id}/certificates"] = new(Anyone),
        ["POST /rights/registrations/{id}/formal-review"] = new(Operator),
        ["POST /rights/registrations/{id}/substantive-review"] = new(Operator),
        ["POST /rights/registrations/{id}/holder-changes"] = new(Provider, Own(f => f.Registration, f => f.Provider, Roles.Provider, new { holders = new[] { new { holderId = Guid.CreateVersion7(), shareBps = 10_000 } }, reason = "股权转让" })),
        ["POST /rights/objections/{id}/ruling"] = new(Operator),
        ["GET /rights/access/explain"] = new(Anyone),
        ["GET /rights/access/requests"] = new([Roles.Provider, Roles.Operator]),
        ["POST /rights/products/{productId}/security-assessments"] = new(Operator),
        ["GET /rights/products/{productId}/security-assessments"] = new(Anyone),
        ["GET /rights/calendar/{year}"] = new(Anyone),
        ["PUT /rights/calendar/{year}"] = new(Operator),
        ["POST /rights/holder-changes/{id}/approve"] = new(Operator),
        ["POST /rights/holder-changes/{id}/refuse"] = new(Operator),
        ["GET /rights/certificates/keys"] = Access.Public,
        ["GET /rights/certificates/{number}/verification"] = Access.Public,
        ["GET /rights/certificates/{number}"] = new(Anyone),
        ["POST /rights/certificates/{number}/revoke"] = new(Operator),
        ["POST /rights/certificates/{number}/renew"] = new(Provider, Own(f => f.Certificate, f => f.Provider, Roles.Provider)),
        ["GET /rights/licences"] = new(Anyone),
        ["GET /rights/licences/{id}"] = new(Anyone, Own(f => f.Licence, f => f.Buyer, Roles.Buyer)),
        ["POST /rights/licences/{id}/suspend"] = new(Operator),
        ["POST /rights/licences/{id}/reinstate"] = new(Operator),
        ["POST /rights/licences/{id}/revoke"] = new(Operator),
        ["POST /rights/access/requests/{orderId}/approve"] = new(Provider, Own(f => f.Order, f => f.Provider, Roles.Provider)),
        ["POST /rights/products/{productId}/files"] = new(Provider, Own(f => f.Product, f => f.Provider, Roles.Provider)),
        ["GET /rights/products/{productId}/files"] = new(Anyone, Own(f => f.Product, f => f.Provider, Roles.Provider)),
        ["GET /rights/licences/{id}/files"] = new(Anyone, Own(f => f.Licence, f => f.Buyer, Roles.Buyer)),
        ["GET /rights/delivery/files/{licenceId}/{sha256}"] = Access.Public, // no token: the signed link is the capability
        ["PUT /rights/products/{productId}/api-source"] = new(Provider, Own(f => f.Product, f => f.Provider, Roles.Provider, ApiSourceBody)),
        ["GET /rights/products/{productId}/api-source"] = new(Anyone, Own(f => f.Product, f => f.Provider, Roles.Provider)),
        ["POST /rights/licences/{id}/keys"] = new(Buyer, Own(f => f.Licence, f => f.Buyer, Roles.Buyer)),
        ["GET /rights/licences/{id}/keys"] = new(Anyone, Own(f => f.Licence, f => f.Buyer, Roles.Buyer)),
        ["GET /rights/licences/{id}/usage"] = new(Anyone, Own(f => f.Licence, f => f.Buyer, Roles.Buyer)),
        ["GET /rights/licences/{id}/downloads"] = new(Anyone, Own(f => f.Licence, f => f.Buyer, Roles.Buyer)),
        ["POST /rights/licences/{id}/keys/{keyId}/rotate"] = new(Buyer, Own(f => f.Licence, f => f.Buyer, Roles.Buyer)),
        ["POST /rights/licences/{id}/keys/{keyId}/revoke"] = new(Anyone, Own(f => f.Licence, f => f.Buyer, Roles.Buyer)),
        // The data plane takes no token: the licence's API key is checked instead.
        ["GET /rights/delivery/api/{licenceId}/{path}"] = Access.ByApiKey,
        ["HEAD /rights/delivery/api/{licenceId}/{path}"] = Access.ByApiKey,
        ["POST /rights/delivery/api/{licenceId}/{path}"] = Access.ByApiKey,
        ["PUT /rights/delivery/api/{licenceId}/{path}"] = Access.ByApiKey,
        ["PATCH /rights/delivery/api/{licenceId}/{path}"] = Access.ByApiKey,
        ["DELETE /rights/delivery/api/{licenceId}/{path}"] = Access.ByApiKey,
        ["POST /rights/access/requests/{orderId}/refuse"] = new(Provider, Own(f => f.Order, f => f.Provider, Roles.Provider, new { reason = "用途不符" })),

        ["POST /pricing/products/{productId}/plans"] = new(Provider, Own(f => f.Product, f => f.Provider, Roles.Provider, PlanBody)),
        ["GET /pricing/products/{productId}/plans"] = new(Anyone),
        ["POST /pricing/products/{productId}/estimate"] = new(Anyone),
        ["GET /pricing/quotes"] = new(Anyone),
        ["GET /pricing/quotes/{id}"] = new(Anyone, Own(f => f.Quote, f => f.Buyer, Roles.Buyer)),
        ["POST /pricing/products/{productId}/valuations"] = new(Anyone, Own(f => f.Product, f => f.Provider, Roles.Provider, ValuationBody)),
        ["GET /pricing/products/{productId}/valuations"] = new(Anyone, Own(f => f.Product, f => f.Provider, Roles.Provider)),
        ["GET /pricing/valuations/{id}"] = new(Anyone, Own(f => f.Valuation, f => f.Provider, Roles.Provider)),
        ["GET /pricing/products/{productId}/guidance"] = new(Anyone),
        ["GET /pricing/plans/{id}"] = new(Anyone),
        ["PUT /pricing/plans/{id}"] = new(Provider, Own(f => f.Plan, f => f.Provider, Roles.Provider, PlanBody)),
        ["GET /pricing/plans/{id}/revisions"] = new(Anyone),
        ["POST /pricing/plans/{id}/retire"] = new(Provider, Own(f => f.Plan, f => f.Provider, Roles.Provider)),
        ["GET /pricing/fees"] = new(Anyone),
        ["PUT /pricing/fees"] = new(Operator),
        ["GET /pricing/fees/history"] = new(Operator),

        ["GET /settlement/participants/{id}/accounts"] = new(Anyone, Own(f => f.Buyer, f => f.Buyer, Roles.Buyer)),
        ["GET /settlement/participants/{id}/statement"] = new(Anyone, Own(f => f.Buyer, f => f.Buyer, Roles.Buyer)),
        ["POST /settlement/deposits"] = new(Operator),
        ["POST /settlement/deposits/webhook"] = Access.Public, // no token: the payment provider signs the body instead
        ["POST /settlement/withdrawals"] = new(Participant),
        ["GET /settlement/withdrawals"] = new(Anyone),
        ["GET /settlement/withdrawals/{id}"] = new(Anyone, Own(f => f.Withdrawal, f => f.Buyer, Roles.Buyer)),
        ["POST /settlement/withdrawals/{id}/approve"] = new(Operator),
        ["POST /settlement/withdrawals/{id}/refuse"] = new(Operator),
        ["GET /settlement/reconciliation"] = new(Operator),
        ["POST /settlement/orders"] = new(Buyer),
        ["GET /settlement/orders"] = new(Anyone),
        ["GET /settlement/orders/{id}"] = new(Anyone, Own(f => f.Order, f => f.Buyer, Roles.Buyer)),
        ["POST /settlement/orders/{id}/accept"] = new(Buyer, Own(f => f.Order, f => f.Buyer, Roles.Buyer)),
        ["POST /settlement/orders/{id}/cancel"] = new(Buyer, Own(f => f.Order, f => f.Buyer, Roles.Buyer)),
        ["POST /settlement/orders/{id}/disputes"] = new(Buyer, Own(f => f.Order, f => f.Buyer, Roles.Buyer, new { grounds = "数据与描述不符" })),
        ["POST /settlement/disputes/{id}/ruling"] = new(Operator),
        ["GET /settlement/disputes"] = new(Operator),
        ["GET /settlement/vouchers/keys"] = Access.Public,
        ["GET /settlement/vouchers/{number}/verification"] = Access.Public,
        ["GET /settlement/orders/{id}/voucher"] = new(Anyone, Own(f => f.Order, f => f.Buyer, Roles.Buyer)),
        ["GET /settlement/journal/verification"] = new(Operator),
        ["GET /settlement/reports/daily"] = new(Operator),

        // Every service: the messages its consumers gave up on.
        ["GET /catalog/audit/failed-messages"] = new(Operator),
        ["GET /catalog/audit/failed-messages/summary"] = new(Operator),
        ["POST /catalog/audit/failed-messages/{id}/replay"] = new(Operator),
        ["POST /catalog/audit/failed-messages/{id}/discard"] = new(Operator),
        ["GET /rights/audit/failed-messages"] = new(Operator),
        ["GET /rights/audit/failed-messages/summary"] = new(Operator),
        ["POST /rights/audit/failed-messages/{id}/replay"] = new(Operator),
        ["POST /rights/audit/failed-messages/{id}/discard"] = new(Operator),
        ["GET /pricing/audit/failed-messages"] = new(Operator),
        ["GET /pricing/audit/failed-messages/summary"] = new(Operator),
        ["POST /pricing/audit/failed-messages/{id}/replay"] = new(Operator),
        ["POST /pricing/audit/failed-messages/{id}/discard"] = new(Operator),
        ["GET /settlement/audit/failed-messages"] = new(Operator),
        ["GET /settlement/audit/failed-messages/summary"] = new(Operator),
        ["POST /settlement/audit/failed-messages/{id}/replay"] = new(Operator),
        ["POST /settlement/audit/failed-messages/{id}/discard"] = new(Operator),
    };

    /// <summary>Routes that are not part of any service's API (infrastructure), so they are not in the matrix; so is
    /// the API browser under /docs (development only, static files and the documents above). The development clock is
    /// not served on a host whose clock a test fakes; the last test here covers it on a host that serves it.</summary>
    private static readonly HashSet<string> Infrastructure =
    [
        "GET /health/live", "GET /health/ready", "GET /{documentName}/openapi.json", "POST /dev/token",
    ];

    /// <summary>An own-object entry: the object's route value, its owner and the owner's role, and (where the
    /// endpoint takes one) a valid body, so the refusal is about whose object it is and not about the body.</summary>
    private static OwnedBy Own(Func<MarketFixture, object> value, Func<MarketFixture, Guid> owner, string role, object? body = null) => new(value, owner, role, body);

    [Fact]
    public async Task Every_endpoint_refuses_whoever_it_must_and_a_refusal_changes_nothing()
    {
        await using var s = TradeSteps.NewHost();
        var f = await MarketFixture.CreateAsync(s);
        var endpoints = await EndpointsAsync(s.M);

        Assert.Empty(endpoints.Where(e => !Matrix.ContainsKey(e.Key)).Select(e => $"{e.Key} has no entry in the matrix"));
        Assert.Empty(Matrix.Keys.Where(k => !endpoints.ContainsKey(k)).Select(k => $"{k} is in the matrix but not served"));

        var before = await StateDigest.OfAsync(s.M.DataDirectory);
        var failures = new List<string>();
        var stranger = f.Stranger;
        foreach (var (key, hasBody) in endpoints)
        {
            var access = Matrix[key];
            var (method, template) = Split(key);
            var random = Fill(template, _ => null);

            if (!access.Anonymous)
            {
                await Check(failures, key, "no token", await Send(s.M.Anonymous(), method, random, hasBody), [HttpStatusCode.Unauthorized]);
            }

            foreach (var role in Roles.All.Where(r => !access.Anonymous && !access.Roles.Contains(r)))
            {
                var caller = role == Roles.Operator ? Guid.CreateVersion7() : stranger;
                await Check(failures, key, $"as {role}", await Send(s.M.ClientAs(caller, role), method, random, hasBody), [HttpStatusCode.Forbidden]);
            }

            if (access.Owned is { } owned)
            {
                var real = Fill(template, _ => Convert.ToString(owned.Value(f)));
                foreach (var role in access.Roles.Where(r => r != Roles.Operator))
                {
                    await Check(failures, key, $"as another {role} on someone else's object",
                        await Send(s.M.ClientAs(stranger, role), method, real, hasBody, owned.Body), [HttpStatusCode.Forbidden, HttpStatusCode.NotFound]);
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(before, await StateDigest.OfAsync(s.M.DataDirectory));

        // The other side of each entry: whoever the matrix lets in is not turned away at the door. These calls may
        // change state, so they come after the comparison above.
        foreach (var (key, hasBody) in endpoints)
        {
            var access = Matrix[key];
            var (method, template) = Split(key);
            if (access.ByKey)
            {
                // No token is asked for; the data plane's own refusal without a key is what lets nobody in.
                var response = await Send(s.M.Anonymous(), method, Fill(template, _ => null), hasBody);
                await Check(failures, key, "with no key", response, [HttpStatusCode.Unauthorized]);
                if (!response.Headers.WwwAuthenticate.ToString().StartsWith("ApiKey", StringComparison.Ordinal))
                {
                    failures.Add($"{key} with no key: 401 without WWW-Authenticate: ApiKey");
                }

                continue;
            }

            if (access.Anonymous)
            {
                await Check(failures, key, "with no token", await Send(s.M.Anonymous(), method, Fill(template, _ => null), hasBody), refused: true);
                continue;
            }

            foreach (var role in access.Roles)
            {
                var (caller, path) = access.Owned is { } owned && role == owned.Role
                    ? (owned.Owner(f), Fill(template, _ => Convert.ToString(owned.Value(f))))
                    : (role == Roles.Operator ? s.M.OperatorId : stranger, Fill(template, _ => null));
                await Check(failures, key, $"as {role}", await Send(s.M.ClientAs(caller, role), method, path, hasBody), refused: true);
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>
    /// The suspended column: once suspended, a provider and a buyer are refused every write the matrix lets their role
    /// make — on their own objects too — with a 403 naming the suspension, and nothing changes; their reads still answer.
    /// </summary>
    [Fact]
    public async Task A_suspended_participant_changes_nothing_and_still_reads_its_own()
    {
        await using var s = TradeSteps.NewHost();
        var f = await MarketFixture.CreateAsync(s);
        var endpoints = await EndpointsAsync(s.M);
        foreach (var participant in new[] { f.Provider, f.Buyer })
        {
            await Expect.Status(await s.M.Operator().PostAsJsonAsync($"/catalog/participants/{participant}/suspend", new { reason = "涉嫌违规交易" }), HttpStatusCode.OK);
            foreach (var schema in new[] { "rights", "pricing", "settlement" })
            {
                await Eventually.True(
                    async () => await CountSuspendedAsync(s.M, schema, participant) == 1,
                    what: $"{schema} learning of the suspension");
            }
        }

        var before = await StateDigest.OfAsync(s.M.DataDirectory);
        var failures = new List<string>();
        var reads = new List<(string Key, string Role, HttpClient Client, string Path)>();
        foreach (var (key, hasBody) in endpoints)
        {
            var access = Matrix[key];
            var (method, template) = Split(key);
            foreach (var role in access.Roles.Where(r => r != Roles.Operator))
            {
                var (caller, path) = access.Owned is { } owned && role == owned.Role
                    ? (owned.Owner(f), Fill(template, _ => Convert.ToString(owned.Value(f))))
                    : (role == Roles.Provider ? f.Provider : f.Buyer, Fill(template, _ => null));
                var client = s.M.ClientAs(caller, role);
                if (method == "GET")
                {
                    reads.Add((key, role, client, path));
                    continue;
                }

                var response = await Send(client, method, path, hasBody, access.Owned?.Body);
                var body = await response.Content.ReadAsStringAsync();
                if (key == "POST /pricing/products/{productId}/estimate")
                {
                    // Changes nothing, so a suspended participant may still ask for a price.
                    if (response.StatusCode is HttpStatusCode.Forbidden || (int)response.StatusCode >= 500)
                    {
                        failures.Add($"{key} as suspended {role}: {(int)response.StatusCode} {body}");
                    }
                }
                else if (response.StatusCode != HttpStatusCode.Forbidden || !body.Contains("\"participant-suspended\"", StringComparison.Ordinal))
                {
                    failures.Add($"{key} as suspended {role}: expected 403 participant-suspended, got {(int)response.StatusCode} {body}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(before, await StateDigest.OfAsync(s.M.DataDirectory));
        foreach (var (key, role, client, path) in reads)
        {
            var response = await client.GetAsync(path);
            if (key == "GET /rights/licences/{id}/files" && role == Roles.Buyer)
            {
                // Not a record but delivery itself: a suspended buyer receives no data.
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.Forbidden || !body.Contains("\"buyer-suspended\"", StringComparison.Ordinal))
                {
                    failures.Add($"{key} as the suspended buyer: expected 403 buyer-suspended, got {(int)response.StatusCode} {body}");
                }

                continue;
            }

            await Check(failures, key, "as the suspended participant", response, refused: true);
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static async Task<long> CountSuspendedAsync(EmbeddedMarketplace m, string schema, Guid id)
    {
        Marketplace.BuildingBlocks.Data.ServiceDb db = schema switch
        {
            "rights" => m.Get<Marketplace.Rights.RightsDb>(),
            "pricing" => m.Get<Marketplace.Pricing.PricingDb>(),
            _ => m.Get<Marketplace.Settlement.SettlementDb>(),
        };
        await using var connection = await db.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, $"SELECT COUNT(*) FROM {schema}.participants WHERE id = @id AND status = 'Suspended'", new { id });
    }

    [Fact]
    public async Task The_development_clock_answers_operators_only_and_starts_where_it_is_told()
    {
        await using var m = new EmbeddedMarketplace(new Dictionary<string, string?> { ["Dev:ClockOffset"] = "2.00:00:00" });
        var participant = Guid.CreateVersion7();
        foreach (var service in new[] { "catalog", "rights", "pricing", "settlement" })
        {
            var path = $"/{service}/dev/clock";
            await Expect.Problem(await m.Anonymous().GetAsync(path), HttpStatusCode.Unauthorized);
            await Expect.Problem(await m.ClientAs(participant, Roles.Provider, Roles.Buyer).PostAsJsonAsync(path, new { advanceBy = "1.00:00:00" }), HttpStatusCode.Forbidden);
            await Expect.Status(await m.Operator().GetAsync(path), HttpStatusCode.OK);
        }

        var clock = await m.Operator().GetFromJsonAsync<DevClockState>("/settlement/dev/clock", EmbeddedMarketplace.Json);
        Assert.Equal(TimeSpan.FromDays(2), clock!.Offset);
    }

    [Fact]
    public void A_moved_development_clock_is_resumed_by_the_next_start_of_the_same_process_kind()
    {
        var directory = Directory.CreateTempSubdirectory("marketplace-clock-").FullName;
        try
        {
            Microsoft.Extensions.Hosting.IHostEnvironment Host(string name) => new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { ApplicationName = name };

            var clock = new DevClock(new DevSettings(), directory, Host("Marketplace.Rights.Host"));
            clock.Advance(TimeSpan.FromDays(30));
            clock.Advance(TimeSpan.FromHours(1));

            Assert.Equal(TimeSpan.FromDays(30) + TimeSpan.FromHours(1), new DevClock(new DevSettings(), directory, Host("Marketplace.Rights.Host")).Offset);
            Assert.Equal(TimeSpan.Zero, new DevClock(new DevSettings(), directory, Host("Marketplace.Catalog.Host")).Offset); // each process kind its own

            var told = new DevSettings { ClockOffset = TimeSpan.FromDays(2) };
            Assert.Equal(TimeSpan.FromDays(2), new DevClock(told, directory, Host("Marketplace.Rights.Host")).Offset); // a setting says otherwise
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task Check(List<string> failures, string key, string who, HttpResponseMessage response, HttpStatusCode[]? expected = null, bool refused = false)
    {
        var status = response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        if ((int)status >= 500)
        {
            failures.Add($"{key} {who}: {(int)status} {body}");
        }
        else if (expected is not null && !expected.Contains(status))
        {
            failures.Add($"{key} {who}: expected {string.Join(" or ", expected.Select(e => (int)e))}, got {(int)status} {body}");
        }
        else if (refused && status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            failures.Add($"{key} {who}: the matrix lets it in, but it was refused with {(int)status} {body}");
        }
        else if (expected is not null && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            failures.Add($"{key} {who}: {(int)status} without a ProblemDetails body");
        }
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string method, string path, bool hasBody, object? body = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (hasBody)
        {
            request.Content = body is null ? new StringContent("{}", Encoding.UTF8, "application/json") : JsonContent.Create(body);
        }

        return client.SendAsync(request);
    }

    private static (string Method, string Template) Split(string key) => (key[..key.IndexOf(' ')], key[(key.IndexOf(' ') + 1)..]);

    /// <summary>The path with each route value filled in: the given one, or a made-up one of the right shape.</summary>
    private static string Fill(string template, Func<string, string?> value) =>
        System.Text.RegularExpressions.Regex.Replace(template, @"\{(\w+)\}", m => value(m.Groups[1].Value) ?? m.Groups[1].Value switch
        {
            "number" => "DRC-2026-00000000-V1",
            "year" => "2026",
            _ => Guid.CreateVersion7().ToString(),
        });

    /// <summary>"METHOD /path" of every operation in the four OpenAPI documents and of every other routed endpoint
    /// (so nothing can hide from the matrix by staying out of the documents), each with whether it takes a body.</summary>
    private static async Task<Dictionary<string, bool>> EndpointsAsync(EmbeddedMarketplace m)
    {
        var endpoints = new Dictionary<string, bool>();
        foreach (var service in new[] { "catalog", "rights", "pricing", "settlement" })
        {
            var document = await m.Anonymous().GetFromJsonAsync<JsonElement>($"/{service}/openapi.json");
            foreach (var path in document.GetProperty("paths").EnumerateObject())
            {
                foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
                {
                    endpoints[$"{operation.Name.ToUpperInvariant()} {path.Name}"] = operation.Value.TryGetProperty("requestBody", out _);
                }
            }
        }

        foreach (var route in m.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var template = "/" + System.Text.RegularExpressions.Regex.Replace(route.RoutePattern.RawText!.Trim('/'), @"\{\*{0,2}(\w+)(:[^}]*)?\}", "{$1}").Replace("//", "/");
            foreach (var method in route.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var key = $"{method} {template.TrimEnd('/')}";
                if (!Infrastructure.Contains(key) && !key.StartsWith("GET /docs", StringComparison.Ordinal) && !key.EndsWith("/dev/clock", StringComparison.Ordinal))
                {
                    endpoints.TryAdd(key, method is "POST" or "PUT");
                }
            }
        }

        return endpoints;
    }

    private sealed record OwnedBy(Func<MarketFixture, object> Value, Func<MarketFixture, Guid> Owner, string Role, object? Body);

    /// <summary>The roles let through, whether anyone may call it, and (for own-object endpoints) which object.</summary>
    private sealed record Access(string[] Roles, OwnedBy? Owned = null, bool Anonymous = false, bool ByKey = false)
    {
        public static readonly Access Public = new([], Anonymous: true);

        /// <summary>No token, but a licence's API key (the data plane): without one, 401 naming the key.</summary>
        public static readonly Access ByApiKey = new([], Anonymous: true, ByKey: true);
    }
}
