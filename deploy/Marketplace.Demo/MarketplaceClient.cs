using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.Demo;

/// <summary>
/// The public API as a client sees it, for the demo and the load driver: development tokens, JSON calls that expect a
/// status, and bounded polls while another service catches up (a 404/409/422 then means "not yet"; a 400, 401, 403 or
/// 5xx stops everything).
/// </summary>
public sealed class MarketplaceClient(HttpClient http)
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public async Task<string> TokenAsync(Guid? subject, string[] roles, CancellationToken ct) =>
        (await SendAsync(null, HttpMethod.Post, "/dev/token", subject is null ? new { } : new { subject, roles }, HttpStatusCode.OK, ct))
        .GetProperty("accessToken").GetString()!;

    /// <summary>Admits a mainland organisation and waits until settlement has opened its accounts.</summary>
    public async Task<Guid> AdmitAsync(string op, string name, string[] roles, string? qualification, CancellationToken ct)
    {
        var admitted = await SendAsync(op, HttpMethod.Post, "/catalog/participants",
            new { name, jurisdiction = "mainland", creditCode = CreditCodes.New(), roles, qualification }, HttpStatusCode.Created, ct);
        var id = admitted.GetProperty("id").GetGuid();
        await UntilAsync(() => TrySendAsync(op, HttpMethod.Get, $"/settlement/participants/{id}/accounts", null, HttpStatusCode.OK, ct), "the accounts to open", ct);
        return id;
    }

    /// <summary>
    /// Waits until the order reaches <paramref name="status"/>; an order that ends otherwise stops the caller. It long-polls:
    /// each GET names the version it has (<c>If-None-Match</c>) and asks the server to hold the answer until the order
    /// changes (<c>Prefer: wait</c>), so a waiting trade costs one request per state change, not a poll every few ms.
    /// Given the answer of the write that changed the order (<paramref name="written"/>: placed, accepted), it starts
    /// from that version instead of reading the order first.
    /// </summary>
    public async Task<JsonElement> OrderInAsync(string token, Guid order, string status, CancellationToken ct, Tagged? written = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        var etag = written?.ETag;
        if (written is { } w && Reached(order, w.Body, status))
        {
            return w.Body;
        }

        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"settlement/orders/{order}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (etag is not null)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", etag);
                request.Headers.TryAddWithoutValidation("Prefer", $"wait={LongPollSeconds}");
            }

            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                etag = response.Headers.ETag?.ToString();
                var o = Parse(await response.Content.ReadAsStringAsync(ct)).GetProperty("order");
                if (Reached(order, o, status))
                {
                    return o;
                }
            }
            else if (response.StatusCode != HttpStatusCode.NotModified)
            {
                throw new DemoFailedException($"GET /settlement/orders/{order} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new DemoFailedException($"waited {Patience.TotalSeconds:0} s for the order to be {status}");
            }
        }
    }

    /// <summary>Whether the order is in <paramref name="status"/>; throws if it ended otherwise.</summary>
    private static bool Reached(Guid id, JsonElement order, string status)
    {
        var now = order.GetProperty("status").GetString();
        if (now == status)
        {
            return true;
        }

        return now is "rejected" or "expired" or "failed" or "cancelled" or "refunded"
            ? throw new DemoFailedException($"order {id} ended {now}: {order.GetProperty("reason")}")
            : false;
    }

    /// <summary>How long one long-poll asks the server to hold its answer.</summary>
    private const int LongPollSeconds = 10;

    public async Task<JsonElement> SendAsync(string? token, HttpMethod method, string path, object? body, HttpStatusCode expected, CancellationToken ct) =>
        (await SendTaggedAsync(token, method, path, body, expected, ct)).Body;

    /// <summary>As <see cref="SendAsync"/>, with the answer's ETag (the version of what it carries).</summary>
    public async Task<Tagged> SendTaggedAsync(string? token, HttpMethod method, string path, object? body, HttpStatusCode expected, CancellationToken ct)
    {
        var (status, text, etag) = await RequestAsync(token, method, path, body, ct);
        return status == expected
            ? new Tagged(Parse(text), etag)
            : throw new DemoFailedException($"{method} {path} answered {(int)status}, not {(int)expected}: {text}");
    }

    public async Task<JsonElement?> TrySendAsync(string? token, HttpMethod method, string path, object? body, HttpStatusCode expected, CancellationToken ct)
    {
        var (status, text, _) = await RequestAsync(token, method, path, body, ct);
        if (status == expected)
        {
            return Parse(text);
        }

        // A service that has not yet learnt of a just-admitted participant refuses its writes for that moment: not yet.
        if (status == HttpStatusCode.Forbidden && text.Contains("\"participant-not-admitted\"", StringComparison.Ordinal))
        {
            return null;
        }

        if ((int)status is >= 500 or 400 or 401 or 403)
        {
            throw new DemoFailedException($"{method} {path} answered {(int)status}: {text}");
        }

        return null;
    }

    private static JsonElement Parse(string text)
    {
        if (text.Length == 0)
        {
            return default;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private async Task<(HttpStatusCode Status, string Text, string? ETag)> RequestAsync(string? token, HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request, ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct), response.Headers.ETag?.ToString());
    }

    /// <summary>Uploads files as multipart/form-data, one part per file named by its file name.</summary>
    public async Task<JsonElement> UploadAsync(string token, string path, IEnumerable<(string Name, byte[] Content)> files, HttpStatusCode expected, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var body = new MultipartFormDataContent();
        foreach (var (name, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "files", FileNameStar = name };
            body.Add(part);
        }

        request.Content = body;
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return response.StatusCode == expected ? Parse(text) : throw new DemoFailedException($"POST {path} answered {(int)response.StatusCode}, not {(int)expected}: {text}");
    }

    /// <summary>GETs a signed download link (no token) and returns the file.</summary>
    public async Task<byte[]> DownloadAsync(string link, CancellationToken ct)
    {
        using var response = await http.GetAsync(link.TrimStart('/'), ct);
        return response.IsSuccessStatusCode
            ? await response.Content.ReadAsByteArrayAsync(ct)
            : throw new DemoFailedException($"GET {link} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
    }

    /// <summary>A call through the data plane with a licence's API key: the status and the body as text.</summary>
    public async Task<(HttpStatusCode Status, string Body, string? Records)> DataPlaneAsync(string key, string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        request.Headers.Add("X-Api-Key", key);
        using var response = await http.SendAsync(request, ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct),
            response.Headers.TryGetValues("X-Record-Count", out var records) ? records.Single() : null);
    }

    /// <summary>Polls until the probe answers, backing off from <paramref name="every"/> (default 200 ms) by half each time up to ten times that, so waiting callers do not flood a busy system.</summary>
    public static async Task<JsonElement> UntilAsync(Func<Task<JsonElement?>> probe, string what, CancellationToken ct, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        var first = every ?? TimeSpan.FromMilliseconds(200);
        var pause = first;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new DemoFailedException($"waited {Patience.TotalSeconds:0} s for {what}");
            }

            await Task.Delay(pause, ct);
            pause = TimeSpan.FromMilliseconds(Math.Min(first.TotalMilliseconds * 10, pause.TotalMilliseconds * 1.5));
        }
    }
}

/// <summary>An answer's body and its ETag (null when it had none).</summary>
public sealed record Tagged(JsonElement Body, string? ETag);
