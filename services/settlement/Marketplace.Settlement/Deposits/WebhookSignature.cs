using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Marketplace.Settlement.Deposits;

/// <summary>
/// The payment provider's signature on a webhook call: header <c>Marketplace-Signature: t={unix seconds},v1={hex}</c>
/// where v1 = HMAC-SHA256(secret, "{t}.{raw body}"). A signature is accepted only within <see cref="Tolerance"/> of
/// now; together with the unique deposit reference this rejects replayed calls.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Marketplace-Signature";

    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(byte[] secret, long unixSeconds, string body)
    {
        var mac = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{unixSeconds.ToString(CultureInfo.InvariantCulture)}.{body}"));
        return $"t={unixSeconds.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>Null when the signature is valid and fresh; otherwise why not.</summary>
    public static string? Check(byte[] secret, string? header, string body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(header))
        {
            return "The signature header is missing.";
        }

        var parts = header.Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0])
            .ToDictionary(g => g.Key, g => g.First()[1]);
        if (!parts.TryGetValue("t", out var t) || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || !parts.TryGetValue("v1", out var v1))
        {
            return "The signature header is malformed.";
        }

        var signedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        if ((now - signedAt).Duration() > Tolerance)
        {
            return "The signature is too old (or from the future): possible replay.";
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(v1);
        }
        catch (FormatException)
        {
            return "The signature is malformed.";
        }

        var expected = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{t}.{body}"));
        return CryptographicOperations.FixedTimeEquals(given, expected) ? null : "The signature does not match.";
    }
}
