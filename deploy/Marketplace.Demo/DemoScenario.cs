using System.Net;
using System.Text.Json;

namespace Marketplace.Demo;

/// <summary>
/// The whole story of a trade, told through the public API as its three kinds of users would: the operator admits a
/// provider, a co-holder and a buyer; the provider lists a product, registers its rights (the public notice runs out
/// on the development clock), prices it; the buyer is funded, searches, orders, accepts the quote; the trade settles,
/// is split, licensed and vouched for; the operator audits it; the data is delivered — files checked against the
/// certificate, the API through the data plane — until the operator revokes the licence. Every step prints what it did and the ids it made.
/// Waits are bounded polls: the services answer each other through the bus.
/// </summary>
public sealed class DemoScenario(HttpClient http, TextWriter output)
{
    private readonly MarketplaceClient api = new(http);

    private const long Price = 128_800; // ¥1,288.00

    public async Task<DemoResult> RunAsync(CancellationToken ct)
    {
        Step("Operator", "signs in with a development token");
        var op = await api.TokenAsync(null, ["operator"], ct);

        var provider = await AdmitAsync(op, "长三角智慧交通数据科技有限公司", ["provider"], null, ct);
        var partner = await AdmitAsync(op, "华东城市感知网络有限公司", ["provider"], null, ct);
        var buyer = await AdmitAsync(op, "未来出行规划研究院有限公司", ["buyer"], "basic", ct);

        var providerToken = await api.TokenAsync(provider, ["provider"], ct);
        var partnerToken = await api.TokenAsync(partner, ["provider"], ct);
        var buyerToken = await api.TokenAsync(buyer, ["buyer"], ct);

        var manifest = ManifestSha256(DataFiles);
        var product = await api.SendAsync(providerToken, HttpMethod.Post, "/catalog/products", ProductContent(manifest), HttpStatusCode.Created, ct);
        var productId = product.GetProperty("id").GetGuid();
        Step("Provider", $"creates the product 长三角城市交通流量数据 {productId}");
        await api.SendAsync(providerToken, HttpMethod.Post, $"/catalog/products/{productId}/submit", null, HttpStatusCode.OK, ct);
        await api.SendAsync(op, HttpMethod.Post, $"/catalog/products/{productId}/review", null, HttpStatusCode.OK, ct);
        var checklist = new { checklist = new { sourceLegality = new { passed = true }, classification = new { passed = true }, personalInformation = new { passed = true }, descriptionAccuracy = new { passed = true }, deliveryMethod = new { passed = true } } };
        await api.SendAsync(op, HttpMethod.Post, $"/catalog/products/{productId}/approve", checklist, HttpStatusCode.OK, ct);
        Step("Operator", "reviews the product against the five-item checklist and lists it");

        var registration = await MarketplaceClient.UntilAsync(() => api.TrySendAsync(providerToken, HttpMethod.Post, "/rights/registrations", new
        {
            productId,
            rights = new[] { "holding", "processing", "operating" },
            holders = new[] { new { holderId = provider, shareBps = 7_000 }, new { holderId = partner, shareBps = 3_000 } },
            manifestSha256 = manifest,
            sourceDescription = "合作城市交通管理部门授权采集的卡口数据，已完成脱敏",
            lawfulBasis = "依据与各市交通管理部门签订的数据共享协议取得",
        }, HttpStatusCode.Created, ct), "rights learning of the listing", ct);
        var registrationId = registration.GetProperty("id").GetGuid();
        Step("Provider", $"applies to register its rights with two holders (70% / 30%): registration {registrationId}");
        await api.SendAsync(op, HttpMethod.Post, $"/rights/registrations/{registrationId}/formal-review", new { decision = "pass" }, HttpStatusCode.OK, ct);
        var inNotice = await api.SendAsync(op, HttpMethod.Post, $"/rights/registrations/{registrationId}/substantive-review", new { decision = "pass" }, HttpStatusCode.OK, ct);
        Step("Operator", $"passes the formal and substantive reviews; public notice until {inNotice.GetProperty("noticeEndsAt").GetDateTimeOffset():yyyy-MM-dd HH:mm} UTC");
        await api.SendAsync(op, HttpMethod.Post, "/rights/dev/clock", new { advanceBy = "30.00:00:00" }, HttpStatusCode.OK, ct);
        Step("Operator", "moves the development clock 30 days on: the notice runs out with no objection");
        await MarketplaceClient.UntilAsync(async () =>
        {
            var r = await api.SendAsync(op, HttpMethod.Get, $"/rights/registrations/{registrationId}", null, HttpStatusCode.OK, ct);
            return r.GetProperty("status").GetString() == "certified" ? r : (JsonElement?)null;
        }, "the certificate to be issued", ct);
        var certificates = await api.SendAsync(providerToken, HttpMethod.Get, $"/rights/registrations/{registrationId}/certificates", null, HttpStatusCode.OK, ct);
        var certificate = certificates[0].GetProperty("number").GetString()!;
        var verification = await api.SendAsync(null, HttpMethod.Get, $"/rights/certificates/{certificate}/verification", null, HttpStatusCode.OK, ct);
        Require(verification.GetProperty("signatureValid").GetBoolean(), "the certificate's signature verifies");
        Step("Anyone", $"verifies certificate {certificate}: signature valid, in force");

        var plan = await MarketplaceClient.UntilAsync(() => api.TrySendAsync(providerToken, HttpMethod.Post, $"/pricing/products/{productId}/plans",
            new { kind = "oneOff", name = "年度使用许可", price = Price, termDays = 365 }, HttpStatusCode.Created, ct), "pricing learning of the listing", ct);
        var planId = plan.GetProperty("id").GetGuid();
        Step("Provider", $"publishes a one-off plan: ¥{Price / 100m:0.00} for 365 days ({planId})");

        await api.SendAsync(op, HttpMethod.Post, "/settlement/deposits", new { participantId = buyer, amount = 500_000, currency = "CNY", bankReference = "DEMO-" + Guid.NewGuid().ToString("N")[..12] }, HttpStatusCode.Created, ct);
        Step("Operator", "records the buyer's bank deposit of ¥5,000.00");

        await MarketplaceClient.UntilAsync(async () =>
        {
            var found = await api.SendAsync(buyerToken, HttpMethod.Get, "/catalog/search?q=%E4%BA%A4%E9%80%9A%E6%B5%81%E9%87%8F", null, HttpStatusCode.OK, ct);
            return found.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("productId").GetGuid() == productId) ? found : (JsonElement?)null;
        }, "search to find the product", ct);
        Step("Buyer", "searches for 交通流量 and finds the product");

        var order = await MarketplaceClient.UntilAsync(() => api.TrySendAsync(buyerToken, HttpMethod.Post, "/settlement/orders",
            new { productId, planId, quantity = 1, purpose = "城市交通规划研究", exclusive = false }, HttpStatusCode.Created, ct), "settlement learning of the listing", ct);
        var orderId = order.GetProperty("id").GetGuid();
        Step("Buyer", $"requests access for 城市交通规划研究: order {orderId}");
        var quoted = await api.OrderInAsync(buyerToken, orderId, "quoted", ct);
        Step("Pricing", $"quotes ¥{Yuan(quoted, "amount")} + VAT ¥{Yuan(quoted, "tax")} = ¥{Yuan(quoted, "total")} (exchange fee ¥{Yuan(quoted, "exchangeFee")}), valid until {quoted.GetProperty("quoteValidUntil").GetDateTimeOffset():HH:mm:ss}");
        var accepted = await api.SendTaggedAsync(buyerToken, HttpMethod.Post, $"/settlement/orders/{orderId}/accept", null, HttpStatusCode.OK, ct);
        var completed = await api.OrderInAsync(buyerToken, orderId, "completed", ct, accepted);
        foreach (var payout in completed.GetProperty("payouts").EnumerateArray())
        {
            Step("Settlement", $"pays holder {payout.GetProperty("holderId").GetGuid()} ({payout.GetProperty("shareBps").GetInt32() / 100m:0.##}%): ¥{payout.GetProperty("amount").GetInt64() / 100m:0.00}");
        }

        var licenceId = completed.GetProperty("licenceId").GetGuid();
        // Acceptance completed the trade and named the licence; rights issues it on settlement's event, a moment later.
        var licence = await MarketplaceClient.UntilAsync(
            () => api.TrySendAsync(buyerToken, HttpMethod.Get, $"/rights/licences/{licenceId}", null, HttpStatusCode.OK, ct), "rights issuing the licence", ct);
        Step("Rights", $"issues licence {licenceId}: {licence.GetProperty("right").GetString()}, until {licence.GetProperty("endsAt").GetDateTimeOffset():yyyy-MM-dd}");

        var voucher = await api.SendAsync(buyerToken, HttpMethod.Get, $"/settlement/orders/{orderId}/voucher", null, HttpStatusCode.OK, ct);
        var voucherNumber = voucher.GetProperty("number").GetString()!;
        var voucherCheck = await api.SendAsync(null, HttpMethod.Get, $"/settlement/vouchers/{voucherNumber}/verification", null, HttpStatusCode.OK, ct);
        Require(voucherCheck.GetProperty("signatureValid").GetBoolean() && voucherCheck.GetProperty("journalMatches").GetBoolean(), "the voucher verifies");
        Step("Anyone", $"verifies voucher {voucherNumber}: signature valid, journal entry matches");

        var audit = await api.SendAsync(op, HttpMethod.Get, $"/settlement/orders/{orderId}", null, HttpStatusCode.OK, ct);
        var states = string.Join(" → ", audit.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("state").GetString()));
        var journal = await api.SendAsync(op, HttpMethod.Get, "/settlement/journal/verification", null, HttpStatusCode.OK, ct);
        Require(journal.GetProperty("ok").GetBoolean(), "the trade journal verifies");
        Step("Operator", $"audits the trade ({states}) and verifies the journal through entry {journal.GetProperty("verifiedThrough").GetInt64()}");

        var buyerAccounts = await api.SendAsync(buyerToken, HttpMethod.Get, $"/settlement/participants/{buyer}/accounts", null, HttpStatusCode.OK, ct);
        var providerAccounts = await api.SendAsync(providerToken, HttpMethod.Get, $"/settlement/participants/{provider}/accounts", null, HttpStatusCode.OK, ct);
        var partnerAccounts = await api.SendAsync(partnerToken, HttpMethod.Get, $"/settlement/participants/{partner}/accounts", null, HttpStatusCode.OK, ct);
        Step("Statements", $"buyer available ¥{Balance(buyerAccounts, "available")}; provider payable ¥{Balance(providerAccounts, "payable")}; co-holder payable ¥{Balance(partnerAccounts, "payable")}");
        Require(500_000 - completed.GetProperty("total").GetInt64() == Minor(buyerAccounts, "available"), "the buyer paid exactly the total");

        var cutOff = await DeliverAsync(op, providerToken, buyerToken, productId, licenceId, certificate, ct);
        return new DemoResult(productId, registrationId, certificate, planId, orderId, licenceId, voucherNumber, cutOff);
    }

    /// <summary>
    /// 交付: the provider uploads the files whose fingerprint it registered and connects its API; the buyer downloads
    /// the files by signed links and checks them against the certificate, makes an API key and calls the API through
    /// the exchange's data plane; the operator revokes the licence and the next call is refused.
    /// </summary>
    /// <returns>How long after the revocation was answered the data plane first refused a call.</returns>
    private async Task<TimeSpan> DeliverAsync(string op, string providerToken, string buyerToken, Guid productId, Guid licenceId, string certificate, CancellationToken ct)
    {
        var uploaded = await api.UploadAsync(providerToken, $"/rights/products/{productId}/files", DataFiles, HttpStatusCode.Created, ct);
        Step("Provider", $"uploads {DataFiles.Length} files; their manifest matches the registered fingerprint {uploaded.GetProperty("manifestSha256").GetString()![..16]}…");

        await using var upstream = await DemoUpstream.StartAsync();
        await api.SendAsync(providerToken, HttpMethod.Put, $"/rights/products/{productId}/api-source", new
        {
            baseUrl = upstream.Url, methods = new[] { "GET" }, pathPrefixes = new[] { "/v1/traffic/" },
            credentialHeader = "X-Upstream-Token", credential = DemoUpstream.Credential, recordsHeader = "X-Record-Count",
        }, HttpStatusCode.OK, ct);
        Step("Provider", $"connects its API at {upstream.Url} to the data plane (its credential is kept encrypted, never shown)");

        var files = await api.SendAsync(buyerToken, HttpMethod.Get, $"/rights/licences/{licenceId}/files", null, HttpStatusCode.OK, ct);
        var received = new List<(string Name, byte[] Content)>();
        foreach (var file in files.GetProperty("files").EnumerateArray())
        {
            var content = await api.DownloadAsync(file.GetProperty("downloadUrl").GetString()!, ct);
            Require(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)) == file.GetProperty("sha256").GetString(), "the file's SHA-256");
            received.Add((file.GetProperty("name").GetString()!, content));
        }

        var certified = await api.SendAsync(buyerToken, HttpMethod.Get, $"/rights/certificates/{certificate}", null, HttpStatusCode.OK, ct);
        Require(ManifestSha256([.. received]) == certified.GetProperty("manifestSha256").GetString(), "the downloaded files match the certificate's fingerprint");
        Step("Buyer", $"downloads {string.Join(", ", received.Select(r => $"{r.Name} ({r.Content.Length} bytes)"))} by signed links; their manifest matches certificate {certificate}");

        var key = (await api.SendAsync(buyerToken, HttpMethod.Post, $"/rights/licences/{licenceId}/keys", null, HttpStatusCode.Created, ct)).GetProperty("key").GetString()!;
        var path = $"/rights/delivery/api/{licenceId}/v1/traffic/hourly?city=%E4%B8%8A%E6%B5%B7";
        var (status, body, records) = await api.DataPlaneAsync(key, path, ct);
        Require(status == HttpStatusCode.OK, $"the data plane to answer 200 (it answered {(int)status}: {body})");
        Step("Buyer", $"makes an API key ({key[..11]}…, shown once) and calls /v1/traffic/hourly through the data plane: {records} records");

        await api.SendAsync(op, HttpMethod.Post, $"/rights/licences/{licenceId}/revoke", new { reason = "演示：撤销许可" }, HttpStatusCode.OK, ct);
        var revoked = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var (s, b, _) = await api.DataPlaneAsync(key, path, ct);
            if (s == HttpStatusCode.Forbidden)
            {
                Step("Operator", $"revokes the licence; {revoked.ElapsedMilliseconds} ms later calls are refused: {JsonDocument.Parse(b).RootElement.GetProperty("reason").GetString()}");
                return revoked.Elapsed;
            }

            Require(s == HttpStatusCode.OK && revoked.Elapsed < MarketplaceClient.Patience, "the revocation to cut access");
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }
    }

    /// <summary>The data the provider sells: a day of hourly counts and a note, made here so the demo needs no files.</summary>
    private static readonly (string Name, byte[] Content)[] DataFiles =
    [
        ("traffic-2026-10-01.csv", System.Text.Encoding.UTF8.GetBytes("station_id,hour,count\n" + string.Concat(
            Enumerable.Range(0, 24).Select(h => $"SH-0001,2026-10-01T{h:00}:00:00+08:00,{800 + (h * 37 % 500)}\n")))),
        ("说明.txt", System.Text.Encoding.UTF8.GetBytes("长三角城市交通流量数据：卡口编号、小时、车流量。已去除车牌等个人信息。\n")),
    ];

    /// <summary>
    /// The data's fingerprint as the exchange defines it: SHA-256 of the manifest — one line per file sorted by name,
    /// its SHA-256 in lowercase hex, two spaces and its name (what <c>sha256sum</c> prints).
    /// </summary>
    private static string ManifestSha256((string Name, byte[] Content)[] files) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Concat(
            files.OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => $"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(f.Content))}  {f.Name}\n")))));

    private static object ProductContent(string manifest) => new
    {
        title = "长三角城市交通流量数据",
        description = "2020年以来长三角主要城市道路卡口的逐小时交通流量，已去除车牌等个人信息。Hourly traffic counts in the Yangtze River Delta.",
        category = "G",
        tags = new[] { "交通", "流量", "城市" },
        subject = "enterprise",
        grade = "general",
        source = "合作城市交通管理部门授权采集",
        legalityStatement = "依据数据共享协议取得，已完成合规评估。",
        coverage = new { from = "2020-01-01", to = "2026-10-31", regions = new[] { "310000", "320000", "330000" } },
        updateFrequency = "daily",
        schema = new[] { new { name = "station_id", type = "string", description = "卡口编号" }, new { name = "hour", type = "dateTime", description = "小时" }, new { name = "count", type = "integer", description = "车流量" } },
        sampleReference = "sample://traffic/2026-10.csv",
        manifestSha256 = manifest,
        deliveryMethods = new[] { "file", "api" },
        requiresManualApproval = false,
        exclusiveAllowed = false,
    };

    private async Task<Guid> AdmitAsync(string op, string name, string[] roles, string? qualification, CancellationToken ct)
    {
        var id = await api.AdmitAsync(op, name, roles, qualification, ct);
        Step("Operator", $"admits {name} as {string.Join(" and ", roles)}: {id}");
        return id;
    }

    private void Step(string who, string what) => output.WriteLine($"{who,-11} {what}");

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new DemoFailedException($"expected {what}");
        }
    }

    private static string Yuan(JsonElement o, string field) => (o.GetProperty(field).GetInt64() / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    private static long Minor(JsonElement accounts, string kind) =>
        accounts.EnumerateArray().Single(a => a.GetProperty("kind").GetString() == kind).GetProperty("balance").GetInt64();

    private static string Balance(JsonElement accounts, string kind) => (Minor(accounts, kind) / 100m).ToString("N2", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What the demo created, for whoever wants to look further.</summary>
/// <param name="RevocationCutOff">How long after the licence's revocation was answered the data plane first refused it.</param>
public sealed record DemoResult(
    Guid ProductId, Guid RegistrationId, string CertificateNumber, Guid PlanId, Guid OrderId, Guid LicenceId, string VoucherNumber, TimeSpan RevocationCutOff);

public sealed class DemoFailedException(string message) : Exception(message);
