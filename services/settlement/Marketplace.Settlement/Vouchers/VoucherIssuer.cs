using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Signing;
using Marketplace.Settlement.Journal;
using Marketplace.Settlement.Orders;

namespace Marketplace.Settlement.Vouchers;

/// <summary>
/// Issues a completed trade's voucher (交易凭证) in the completing transaction: parties, product, the right licensed,
/// purpose and term, amounts and the split, times, and the journal position and hash of the completion — compact JSON
/// in a fixed field order, signed by the exchange (ECDSA P-256, SHA-256, IEEE P1363). The number reads
/// <c>TV-{year, UTC+8}-{order sequence, 10 digits}</c>.
/// </summary>
public sealed class VoucherIssuer(ExchangeSigner<SettlementDb> signer)
{
    private const string InsertSql = """
        INSERT INTO settlement.vouchers (number, order_id, payload, digest, signature, key_id, issued_at)
        VALUES (@Number, @OrderId, @Payload, @Digest, @Signature, @KeyId, @IssuedAt)
        """;

    public async Task<Voucher> IssueAsync(UnitOfWork uow, Order order, JournalEntry completion, DateTimeOffset now)
    {
        var number = string.Create(CultureInfo.InvariantCulture, $"TV-{now.ToOffset(TimeSpan.FromHours(8)).Year}-{order.Seq:D10}");
        var payload = Payload(number, order, completion, now);
        var (keyId, signature) = await signer.SignAsync(uow, payload);
        var voucher = new Voucher
        {
            Number = number, OrderId = order.Id, Payload = payload, Digest = Digest(payload), Signature = signature, KeyId = keyId, IssuedAt = now,
        };
        await uow.ExecuteAsync(InsertSql, voucher);
        return voucher;
    }

    public static string Digest(string payload) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)));

    private static string Payload(string number, Order o, JournalEntry completion, DateTimeOffset now)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("number", number);
            json.WriteString("orderId", o.Id.ToString("D"));
            json.WriteString("buyerId", o.BuyerId.ToString("D"));
            json.WriteString("sellerId", o.SellerId.ToString("D"));
            json.WriteString("productId", o.ProductId.ToString("D"));
            json.WriteString("certificateNumber", o.CertificateNumber);
            json.WriteString("licenceId", o.LicenceId?.ToString("D"));
            json.WriteString("right", "processing-and-use");
            json.WriteString("purpose", o.Purpose);
            json.WriteBoolean("exclusive", o.Exclusive);
            json.WriteString("licenceEndsAt", Instant(o.LicenceEndsAt!.Value));
            json.WriteString("currency", o.Currency);
            json.WriteNumber("amount", o.Amount!.Value);
            json.WriteNumber("exchangeFee", o.ExchangeFee!.Value);
            json.WriteNumber("tax", o.Tax!.Value);
            json.WriteNumber("total", o.Total!.Value);
            json.WriteStartArray("split");
            foreach (var p in o.PayoutList)
            {
                json.WriteStartObject();
                json.WriteString("holderId", p.HolderId.ToString("D"));
                json.WriteNumber("shareBps", p.ShareBps);
                json.WriteNumber("amount", p.Amount);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("settledAt", Instant(o.SettledAt!.Value));
            json.WriteString("completedAt", Instant(o.CompletedAt!.Value));
            json.WriteNumber("journalPosition", completion.Position);
            json.WriteString("journalHash", completion.Hash);
            json.WriteString("issuedAt", Instant(now));
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>A voucher as stored: the signed payload itself is kept, so what was signed is exactly what is shown.</summary>
public sealed record Voucher
{
    public string Number { get; init; } = "";

    public Guid OrderId { get; init; }

    public string Payload { get; init; } = "";

    public string Digest { get; init; } = "";

    public string Signature { get; init; } = "";

    public string KeyId { get; init; } = "";

    public DateTimeOffset IssuedAt { get; init; }
}
