using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.Contracts.Rights;

namespace Marketplace.Rights.Certificates;

/// <summary>
/// The exact bytes the exchange signs: compact JSON with the fields in this order, rights sorted by name, holders in
/// registration order, instants as UTC <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>. Anyone holding the certificate's fields can
/// rebuild them, hash them with SHA-256 (the digest) and check the ECDSA P-256 signature (IEEE P1363, r‖s) against
/// the exchange's published public key.
/// </summary>
public static class CertificatePayload
{
    public static string Build(CertificateFields c)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("number", c.Number);
            json.WriteString("registrationId", c.RegistrationId.ToString("D"));
            json.WriteString("productId", c.ProductId.ToString("D"));
            json.WriteString("applicantId", c.ApplicantId.ToString("D"));
            json.WriteNumber("version", c.CertificateVersion);
            json.WriteStartArray("rights");
            foreach (var right in c.Rights.Select(r => r.ToString()).Order(StringComparer.Ordinal))
            {
                json.WriteStringValue(right);
            }

            json.WriteEndArray();
            json.WriteStartArray("holders");
            foreach (var holder in c.Holders)
            {
                json.WriteStartObject();
                json.WriteString("holderId", holder.HolderId.ToString("D"));
                json.WriteNumber("shareBps", holder.ShareBps);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("manifestSha256", c.ManifestSha256);
            json.WriteString("validFrom", Instant(c.ValidFrom));
            json.WriteString("validUntil", Instant(c.ValidUntil));
            json.WriteString("issuedAt", Instant(c.IssuedAt));
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Digest(string payload) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)));

    private static string Instant(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>What a certificate attests: every field is part of the signed payload.</summary>
public sealed record CertificateFields(
    string Number,
    Guid RegistrationId,
    Guid ProductId,
    Guid ApplicantId,
    int CertificateVersion,
    IReadOnlyList<RightKind> Rights,
    IReadOnlyList<HolderShare> Holders,
    string ManifestSha256,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidUntil,
    DateTimeOffset IssuedAt);
