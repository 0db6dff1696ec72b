using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Tests.Catalog;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Foundation;

/// <summary>The hosting defaults every service shares: health, the development token issuer, OpenAPI, ProblemDetails, no telemetry sent out.</summary>
public sealed class HostingTests(AdmissionTests.Host host) : IClassFixture<AdmissionTests.Host>
{
    private EmbeddedMarketplace M => host.Marketplace;

    [Fact]
    public async Task Health_endpoints_answer_without_a_token()
    {
        await Expect.Status(await M.Anonymous().GetAsync("/health/live"), HttpStatusCode.OK);
        await Expect.Status(await M.Anonymous().GetAsync("/health/ready"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Dev_token_issuer_gives_a_working_operator_token_for_the_bootstrap_operator()
    {
        var response = await M.Anonymous().PostAsJsonAsync("/dev/token", new { });
        await Expect.Status(response, HttpStatusCode.OK);
        var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(M.OperatorId, token.GetProperty("subject").GetGuid());

        var client = M.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("accessToken").GetString());
        await Expect.Status(await client.GetAsync("/catalog/participants"), HttpStatusCode.OK);
    }

    [Fact]
    public void The_bus_reports_no_usage_telemetry_to_masstransit()
    {
        var options = M.Get<Microsoft.Extensions.Options.IOptions<MassTransit.UsageTelemetryOptions>>().Value;
        Assert.False(options.Enabled);
    }

    [Fact]
    public async Task Dev_token_issuer_validates_its_request()
    {
        await Expect.ValidationProblem(await M.Anonymous().PostAsJsonAsync("/dev/token", new { roles = new[] { "buyer" } }), "subject");
        await Expect.ValidationProblem(await M.Anonymous().PostAsJsonAsync("/dev/token", new { subject = Guid.NewGuid(), roles = new[] { "root" } }), "roles[0]");
        await Expect.ValidationProblem(await M.Anonymous().PostAsJsonAsync("/dev/token", new { subject = Guid.Empty }), "subject");
    }

    [Theory]
    [InlineData("catalog", "/catalog/participants")]
    [InlineData("settlement", "/settlement/participants/{id}/accounts")]
    public async Task Each_service_publishes_its_own_openapi_document(string service, string path)
    {
        var response = await M.Anonymous().GetAsync($"/{service}/openapi.json");
        await Expect.Status(response, HttpStatusCode.OK);
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty(path, out _), $"{path} missing from {paths}");
        Assert.All(paths.EnumerateObject(), p => Assert.StartsWith($"/{service}/", p.Name));
    }

    [Fact]
    public async Task Without_a_secret_the_deposit_webhook_does_not_exist()
    {
        var response = await M.Anonymous().PostAsync(
            "/settlement/deposits/webhook", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        await Expect.Problem(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unknown_route_is_a_problem_too()
    {
        await Expect.Problem(await M.Operator().GetAsync("/catalog/nothing-here"), HttpStatusCode.NotFound);
    }
}
