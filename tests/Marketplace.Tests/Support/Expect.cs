using System.Net;
using System.Text.Json;

namespace Marketplace.Tests.Support;

/// <summary>Assertions on HTTP answers that print the body when they fail.</summary>
public static class Expect
{
    public static async Task Status(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"Expected {(int)expected} {expected} from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}, got {(int)response.StatusCode}: {body}");
        }
    }

    /// <summary>Asserts an RFC 9457 problem with the status, and returns its JSON.</summary>
    public static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode expected)
    {
        await Status(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)expected, json.GetProperty("status").GetInt32());
        Assert.True(json.TryGetProperty("traceId", out _), "A problem carries a trace id.");
        return json;
    }

    /// <summary>Asserts a 400 validation problem naming each of <paramref name="fields"/>.</summary>
    public static async Task<JsonElement> ValidationProblem(HttpResponseMessage response, params string[] fields)
    {
        var json = await Problem(response, HttpStatusCode.BadRequest);
        var errors = json.GetProperty("errors");
        foreach (var field in fields)
        {
            Assert.True(errors.TryGetProperty(field, out _), $"Expected a validation error for '{field}', got {errors}.");
        }

        return json;
    }
}
