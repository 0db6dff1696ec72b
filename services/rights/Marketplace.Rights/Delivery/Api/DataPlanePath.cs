namespace Marketplace.Rights.Delivery.Api;

/// <summary>
/// The paths the data plane forwards: plain absolute paths only, so a request can never step outside the provider's
/// prefixes or change the upstream — no <c>.</c> or <c>..</c> segment, no backslash, no empty segment, and no percent
/// sign at all (so neither an encoded slash nor an encoded dot can be smuggled past the checks and decoded upstream).
/// </summary>
public static class DataPlanePath
{
    public static bool IsPlain(string? path) =>
        path is { Length: > 0 } && path[0] == '/' && !path.Contains("//", StringComparison.Ordinal)
        && path.IndexOfAny(['\\', '%', '?', '#', '\0', '\r', '\n']) < 0
        && path.Split('/').All(segment => segment is not ("." or ".."));

    /// <summary>Whether the path lies under one of the prefixes (a prefix ending without '/' matches at a segment boundary only).</summary>
    public static bool IsUnder(string path, IEnumerable<string> prefixes) => prefixes.Any(prefix =>
        path.StartsWith(prefix, StringComparison.Ordinal)
        && (prefix.EndsWith('/') || path.Length == prefix.Length || path[prefix.Length] == '/'));
}
