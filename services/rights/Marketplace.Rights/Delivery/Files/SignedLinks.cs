using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Marketplace.Rights.Delivery.Files;

/// <summary>
/// Download links that work without a bearer token (curl, wget, a browser): HMAC-SHA-256 over the licence, the file's
/// digest and the expiry, with a key named in the link, so keys can be rotated while older links run out
/// (<c>Rights:Delivery:LinkKeys</c>, <c>LinkKeyId</c>). A link is a capability, so it lives minutes
/// (<c>LinkLifetime</c>). Outside Production a process without configured keys makes one up (its links die with it);
/// Production refuses to start without them.
/// </summary>
public sealed class SignedLinks
{
    private readonly Dictionary<string, byte[]> keys;
    private readonly string current;
    private readonly TimeSpan lifetime;

    public SignedLinks(IOptions<DeliverySettings> options, IHostEnvironment environment)
    {
        var settings = options.Value;
        lifetime = settings.LinkLifetime;
        keys = settings.LinkKeys.ToDictionary(k => k.Key, k => Decode(k.Key, k.Value), StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            if (environment.IsProduction())
            {
                throw new InvalidOperationException("Rights:Delivery:LinkKeys and LinkKeyId are required in Production (base64 keys of at least 32 bytes).");
            }

            keys["dev"] = RandomNumberGenerator.GetBytes(32);
        }

        current = settings.LinkKeyId ?? (keys.Count == 1 ? keys.Keys.Single() : throw new InvalidOperationException("Rights:Delivery:LinkKeyId must name one of LinkKeys."));
        if (!keys.ContainsKey(current))
        {
            throw new InvalidOperationException($"Rights:Delivery:LinkKeyId '{current}' is not one of LinkKeys.");
        }
    }

    /// <summary>The path and query of a link to the file, valid until the returned instant.</summary>
    public (string Url, DateTimeOffset ExpiresAt) Sign(Guid licenceId, string sha256, DateTimeOffset now)
    {
        var expires = now + lifetime;
        var seconds = expires.ToUnixTimeSeconds();
        var signature = Signature(keys[current], licenceId, sha256, seconds);
        return ($"/rights/delivery/files/{licenceId}/{sha256}?expires={seconds}&kid={Uri.EscapeDataString(current)}&sig={signature}",
            DateTimeOffset.FromUnixTimeSeconds(seconds));
    }

    /// <summary>Null when the link is genuine and current; else why not (<c>link-invalid</c> or <c>link-expired</c>).</summary>
    public string? Check(Guid licenceId, string sha256, string? expires, string? kid, string? sig, DateTimeOffset now)
    {
        if (kid is null || !keys.TryGetValue(kid, out var key) || sig is null
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return "link-invalid";
        }

        var expected = Encoding.ASCII.GetBytes(Signature(key, licenceId, sha256, seconds));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(sig)))
        {
            return "link-invalid";
        }

        return now.ToUnixTimeSeconds() >= seconds ? "link-expired" : null;
    }

    private static string Signature(byte[] key, Guid licenceId, string sha256, long expires) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{licenceId:D}\n{sha256}\n{expires}")));

    private static byte[] Decode(string id, string base64)
    {
        var key = Convert.FromBase64String(base64);
        return key.Length >= 32 ? key : throw new InvalidOperationException($"Rights:Delivery:LinkKeys:{id} must be at least 32 bytes.");
    }
}
