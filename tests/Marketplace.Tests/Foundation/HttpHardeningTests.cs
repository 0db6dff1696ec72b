using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Marketplace.BuildingBlocks.Hosting;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.Tests.Catalog;
using Marketplace.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.Tests.Foundation;

/// <summary>
/// What every response and every token check carries: security headers (no sniffing, no referrer, nothing cached,
/// HTML that loads nothing from elsewhere and is never framed), tokens refused when they live too long or name no
/// participant, and validation problems whose size is bounded whatever the request.
/// </summary>
public sealed class HttpHardeningTests(AdmissionTests.Host host) : IClassFixture<AdmissionTests.Host>
{
    private EmbeddedMarketplace M => host.Marketplace;

    [Fact]
    public async Task Every_answer_carries_the_security_headers_and_balances_are_never_cached()
    {
        var p = await M.FundedParticipantAsync();
        foreach (var response in new[]
                 {
                     await M.Anonymous().GetAsync("/health/live"),
                     await M.ClientAs(p, Roles.Buyer).GetAsync($"/settlement/participants/{p}/accounts"),
                     await M.ClientAs(p, Roles.Buyer).GetAsync($"/settlement/participants/{p}/statement"),
                     await M.Anonymous().GetAsync("/settlement/orders"),
                     await M.Operator().PostAsJsonAsync("/catalog/participants", new { }),
                 })
        {
            var what = $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri!.AbsolutePath} ({(int)response.StatusCode})";
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", what);
            Assert.True(response.Headers.TryGetValues("Referrer-Policy", out var referrer) && referrer.Single() == "no-referrer", what);
            Assert.True(response.Headers.CacheControl?.NoStore == true, what);
            Assert.False(response.Headers.Contains("Server"), what);
        }

        var docs = await M.Anonymous().GetAsync("/docs");
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
        Assert.Equal(SecurityHeaders.HtmlPolicy, docs.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", docs.Headers.GetValues("X-Frame-Options").Single());
        Assert.False((await M.Anonymous().GetAsync("/health/live")).Headers.Contains("Content-Security-Policy"));
    }

    public static TheoryData<string, string?, TimeSpan, bool> Tokens() => new()
    {
        { "valid for a hundred years", Guid.CreateVersion7().ToString(), TimeSpan.FromDays(36_500), false },
        { "valid a second longer than allowed", Guid.CreateVersion7().ToString(), TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1), false },
        { "a subject of all zeros", Guid.Empty.ToString(), TimeSpan.FromHours(1), false },
        { "a subject that is no id", "alice", TimeSpan.FromHours(1), false },
        { "no subject", null, TimeSpan.FromHours(1), false },
        { "valid exactly as long as allowed", Guid.CreateVersion7().ToString(), TimeSpan.FromHours(24), true },
    };

    [Theory]
    [MemberData(nameof(Tokens))]
    public async Task A_token_is_accepted_only_with_a_participant_subject_and_a_bounded_lifetime(string why, string? subject, TimeSpan lifetime, bool accepted)
    {
        _ = why;
        var client = M.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Sign(subject, lifetime, issuedAt: true));
        var response = await client.GetAsync("/pricing/fees");
        if (accepted)
        {
            await Expect.Status(response, HttpStatusCode.OK);
        }
        else
        {
            await Expect.Problem(response, HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task A_refusal_of_a_body_too_large_to_drain_tells_the_client_the_connection_closes()
    {
        // Refused before its body is read (a buyer may not admit participants): Kestrel cannot drain 300 KB past the
        // limit and drops the connection, so the refusal says so and the client does not reuse it.
        using var large = new StringContent($"{{\"name\":\"{new string('x', 300 * 1024)}\"}}", System.Text.Encoding.UTF8, "application/json");
        using var refused = await M.ClientAs(Guid.NewGuid(), "buyer").PostAsync("/catalog/participants", large);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.True(refused.Headers.ConnectionClose);

        using var small = await M.ClientAs(Guid.NewGuid(), "buyer").PostAsJsonAsync("/catalog/participants", new { name = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, small.StatusCode);
        Assert.NotEqual(true, small.Headers.ConnectionClose);
    }

    [Fact]
    public async Task A_token_without_an_issue_time_is_refused()
    {
        var client = M.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Sign(Guid.CreateVersion7().ToString(), TimeSpan.FromHours(1), issuedAt: false));
        await Expect.Problem(await client.GetAsync("/pricing/fees"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_validation_problem_lists_at_most_the_configured_number_of_errors_and_counts_the_rest()
    {
        await using var bounded = new EmbeddedMarketplace(new Dictionary<string, string?> { ["Http:MaxValidationErrors"] = "2" });
        var body = new { name = "", jurisdiction = "mainland", creditCode = "123", roles = Array.Empty<string>(), region = "CN" };

        var all = await Expect.ValidationProblem(await M.Operator().PostAsJsonAsync("/catalog/participants", body));
        var total = all.GetProperty("errors").EnumerateObject().Sum(e => e.Value.GetArrayLength());
        Assert.True(total > 2, $"the body gives {total} errors");
        Assert.False(all.TryGetProperty("moreErrors", out _));

        var cut = await Expect.ValidationProblem(await bounded.Operator().PostAsJsonAsync("/catalog/participants", body));
        Assert.Equal(2, cut.GetProperty("errors").EnumerateObject().Sum(e => e.Value.GetArrayLength()));
        Assert.Equal(total - 2, cut.GetProperty("moreErrors").GetInt32());
    }

    [Theory]
    [InlineData("Http:MaxValidationErrors", "0")]
    [InlineData("Hosting:ShutdownGrace", "00:00:00")]
    [InlineData("Hosting:ShutdownGrace", "00:00:30")]
    [InlineData("Settlement:Orders:MaxInProgress", "-1")]
    [InlineData("Settlement:Webhook:Secret", "c2hvcnQ=")]
    [InlineData("Rights:Notice:WorkingDays", "0")]
    [InlineData("Pricing:Quotes:ValidFor", "00:00:00")]
    public void A_setting_out_of_range_stops_the_host_at_start_naming_it(string setting, string value)
    {
        using var host = new EmbeddedMarketplace(new Dictionary<string, string?> { [setting] = value });
        var error = Assert.ThrowsAny<Exception>(() => host.CreateClient());
        Assert.Contains(setting, error.ToString());
    }

    private string Sign(string? subject, TimeSpan lifetime, bool issuedAt)
    {
        var signing = M.Get<TokenSigning>();
        var now = DateTime.UtcNow;
        var claims = new List<Claim> { new(Caller.RoleClaim, Roles.Buyer) };
        if (subject is not null)
        {
            claims.Add(new Claim(Caller.SubjectClaim, subject));
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = signing.Settings.Issuer,
            Audience = signing.Settings.Audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddMinutes(-1) + lifetime,
            SigningCredentials = new SigningCredentials(signing.Key, SecurityAlgorithms.HmacSha256),
        };
        if (issuedAt)
        {
            descriptor.IssuedAt = now.AddMinutes(-1);
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = issuedAt }.CreateToken(descriptor);
    }
}
