using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Contracts.Rights;
using Marketplace.Rights;
using Marketplace.Rights.Delivery.Files;
using Marketplace.Rights.Delivery.Usage;
using Marketplace.Tests.Support;
using Marketplace.Tests.Trades;

namespace Marketplace.Tests.Delivery;

/// <summary>
/// Files delivered under a licence: uploaded by the provider and checked against the registered fingerprint, listed
/// for the licensee with signed links, downloaded without a token (ranges, ETags), cut off by revocation and
/// suspension, recorded and reported as usage.
/// </summary>
public sealed class FileDeliveryTests : IAsyncLifetime
{
    private readonly TradeSteps s = TradeSteps.NewHost();
    private DeliverySteps d = null!;

    public async Task InitializeAsync() => d = await DeliverySteps.TradedAsync(s);

    public async Task DisposeAsync() => await s.DisposeAsync();

    [Fact]
    public async Task The_buyer_downloads_exactly_the_registered_files_and_each_download_is_recorded()
    {
        var uploaded = await d.UploadedAsync();
        Assert.Equal(DeliverySteps.Manifest, uploaded.ManifestSha256);
        Assert.Equal(["traffic-2025-01.csv", "说明.txt"], uploaded.Files.Select(f => f.Name));
        await Expect.Status(await d.UploadAsync(), HttpStatusCode.OK); // the same set again

        var providerView = await d.Provider.GetFromJsonAsync<DeliverySetResponse>($"/rights/products/{d.Sale.ProductId}/files", EmbeddedMarketplace.Json);
        Assert.All(providerView!.Files, f => Assert.Null(f.DownloadUrl));

        var licensed = await d.LicensedFilesAsync();
        Assert.Equal(DeliverySteps.Manifest, FileManifest.Sha256(licensed.Manifest));
        var anonymous = s.M.Anonymous();
        foreach (var (name, content) in DeliverySteps.Files)
        {
            var file = licensed.Files.Single(f => f.Name == name);
            Assert.Equal((content.LongLength, DeliverySteps.Sha256(content)), (file.Size, file.Sha256));
            Assert.Equal(s.Time.GetUtcNow().AddMinutes(15).ToUnixTimeSeconds(), file.LinkExpiresAt!.Value.ToUnixTimeSeconds());
            using var response = await anonymous.GetAsync(file.DownloadUrl);
            await Expect.Status(response, HttpStatusCode.OK);
            Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
            Assert.Equal($"\"{file.Sha256}\"", response.Headers.ETag!.Tag);
            Assert.Equal(name, response.Content.Headers.ContentDisposition!.FileNameStar);
        }

        Assert.Equal(2, await s.M.Get<DeliveryRecorder>().FlushAsync(default) + 1); // one licence, one minute
        Assert.Equal(2, await s.M.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.delivery_downloads WHERE licence_id = @Licence AND via = 'link'", new { d.Licence }));
        Assert.Equal(
            DeliverySteps.Files.Sum(f => f.Content.LongLength),
            await s.M.CountAsync<RightsDb>("SELECT downloaded_bytes FROM rights.delivery_usage WHERE licence_id = @Licence", new { d.Licence }));
        var usage = await s.M.CountAsync<RightsDb>(
            "SELECT COUNT(*) FROM rights.outbox WHERE message_type = @Type AND body LIKE @Licence",
            new { Type = typeof(UsageRecorded).FullName, Licence = $"%{d.Licence}%" });
        Assert.Equal(1, usage);

        // The parties see it; nobody else does.
        foreach (var party in new[] { d.BuyerClient, d.Provider, s.M.Operator() })
        {
            var minutes = await party.GetFromJsonAsync<List<MinuteUsage>>($"/rights/licences/{d.Licence}/usage", EmbeddedMarketplace.Json);
            Assert.Equal(2, Assert.Single(minutes!).Downloads);
            var downloads = await party.GetFromJsonAsync<JsonElement>($"/rights/licences/{d.Licence}/downloads?limit=1");
            Assert.Single(downloads.GetProperty("items").EnumerateArray());
            var rest = await party.GetFromJsonAsync<JsonElement>($"/rights/licences/{d.Licence}/downloads?after={downloads.GetProperty("next").GetString()}");
            Assert.Single(rest.GetProperty("items").EnumerateArray());
        }

        var stranger = (await s.M.AdmitAsync()).Id;
        await Expect.Problem(await s.As(stranger, "buyer").GetAsync($"/rights/licences/{d.Licence}/usage"), HttpStatusCode.NotFound);
        await Expect.Problem(await s.As(stranger, "buyer").GetAsync($"/rights/licences/{d.Licence}/downloads"), HttpStatusCode.NotFound);
        await Expect.ValidationProblem(await d.BuyerClient.GetAsync($"/rights/licences/{d.Licence}/usage?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z"), "to");
        await Expect.ValidationProblem(await d.BuyerClient.GetAsync($"/rights/licences/{d.Licence}/usage?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z"), "to");
        await Expect.Problem(await d.BuyerClient.GetAsync($"/rights/licences/{d.Licence}/downloads?after=garbage"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Counts_whose_write_fails_are_kept_and_written_once_by_the_next_flush()
    {
        await d.UploadedAsync();
        var link = (await d.LicensedFilesAsync()).Files[0].DownloadUrl!;
        await Expect.Status(await s.M.Anonymous().GetAsync(link), HttpStatusCode.OK);
        var recorder = s.M.Get<DeliveryRecorder>();

        await using (var connection = await s.M.Get<RightsDb>().OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection,
                "CREATE TRIGGER rights.refuse_usage BEFORE INSERT ON delivery_usage BEGIN SELECT RAISE(ABORT, 'usage refused'); END");
        }

        await Assert.ThrowsAnyAsync<Exception>(() => recorder.FlushAsync(default));
        Assert.Equal(0, await s.M.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.delivery_downloads"));

        await using (var connection = await s.M.Get<RightsDb>().OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "DROP TRIGGER rights.refuse_usage");
        }

        Assert.Equal(1, await recorder.FlushAsync(default));
        Assert.Equal(0, await recorder.FlushAsync(default));
        Assert.Equal(1, await s.M.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.delivery_downloads"));
        Assert.Equal(1, await s.M.CountAsync<RightsDb>("SELECT downloads FROM rights.delivery_usage WHERE licence_id = @Licence", new { d.Licence }));
    }

    [Fact]
    public async Task Ranges_and_conditional_requests_are_honoured()
    {
        await d.UploadedAsync();
        var file = (await d.LicensedFilesAsync()).Files.Single(f => f.Name == "traffic-2025-01.csv");
        var content = DeliverySteps.Files[0].Content;
        var anonymous = s.M.Anonymous();

        async Task<HttpResponseMessage> Get(Action<HttpRequestHeaders> headers)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, file.DownloadUrl);
            headers(request.Headers);
            return await anonymous.SendAsync(request);
        }

        var middle = await Get(h => h.Range = new RangeHeaderValue(1_000, 1_099));
        await Expect.Status(middle, HttpStatusCode.PartialContent);
        Assert.Equal(content[1_000..1_100], await middle.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes 1000-1099/200000", middle.Content.Headers.ContentRange!.ToString());

        var tail = await Get(h => h.Range = new RangeHeaderValue(null, 10));
        Assert.Equal(content[^10..], await tail.Content.ReadAsByteArrayAsync());

        var open = await Get(h => h.Range = new RangeHeaderValue(199_990, null));
        Assert.Equal(content[199_990..], await open.Content.ReadAsByteArrayAsync());

        var beyond = await Get(h => h.Range = new RangeHeaderValue(200_000, 300_000));
        await Expect.Problem(beyond, HttpStatusCode.RequestedRangeNotSatisfiable);
        Assert.Equal("bytes */200000", beyond.Content.Headers.ContentRange!.ToString());

        var unchanged = await Get(h => h.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{file.Sha256}\"")));
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);

        var otherVersion = await Get(h =>
        {
            h.Range = new RangeHeaderValue(0, 9);
            h.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue("\"0000\""));
        });
        await Expect.Status(otherVersion, HttpStatusCode.OK);
        Assert.Equal(content.Length, (await otherVersion.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Links_are_refused_when_tampered_with_made_for_another_file_or_licence_or_expired()
    {
        await d.UploadedAsync();
        var files = (await d.LicensedFilesAsync()).Files;
        var (csv, txt) = (files.Single(f => f.Name.EndsWith(".csv", StringComparison.Ordinal)), files.Single(f => f.Name.EndsWith(".txt", StringComparison.Ordinal)));
        var anonymous = s.M.Anonymous();

        foreach (var forged in new[]
                 {
                     csv.DownloadUrl!.Replace(csv.Sha256, txt.Sha256, StringComparison.Ordinal),
                     csv.DownloadUrl!.Replace(d.Licence.ToString(), Guid.CreateVersion7().ToString(), StringComparison.Ordinal),
                     System.Text.RegularExpressions.Regex.Replace(csv.DownloadUrl!, "expires=(\\d+)", m => $"expires={long.Parse(m.Groups[1].Value) + 3600}"),
                     System.Text.RegularExpressions.Regex.Replace(csv.DownloadUrl!, "sig=[^&]+", "sig=AAAA"),
                     System.Text.RegularExpressions.Regex.Replace(csv.DownloadUrl!, "kid=[^&]+", "kid=other"),
                     csv.DownloadUrl!.Split('?')[0],
                 })
        {
            var refused = await Expect.Problem(await anonymous.GetAsync(forged), HttpStatusCode.Forbidden);
            Assert.Equal("link-invalid", refused.GetProperty("reason").GetString());
        }

        s.Time.Advance(TimeSpan.FromMinutes(15));
        var expired = await Expect.Problem(await anonymous.GetAsync(csv.DownloadUrl), HttpStatusCode.Forbidden);
        Assert.Equal("link-expired", expired.GetProperty("reason").GetString());

        // A fresh list gives fresh links.
        var fresh = (await d.LicensedFilesAsync()).Files.Single(f => f.Name == csv.Name);
        await Expect.Status(await anonymous.GetAsync(fresh.DownloadUrl), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Revoking_the_licence_or_suspending_the_buyer_cuts_access_at_once()
    {
        await d.UploadedAsync();
        var link = (await d.LicensedFilesAsync()).Files[0].DownloadUrl!;
        var anonymous = s.M.Anonymous();
        await Expect.Status(await anonymous.GetAsync(link), HttpStatusCode.OK);

        await Expect.Status(await s.M.Operator().PostAsJsonAsync($"/rights/licences/{d.Licence}/suspend", new { reason = "涉嫌超范围使用" }), HttpStatusCode.OK);
        await Refused(link, "licence-suspended");
        await Expect.Status(await s.M.Operator().PostAsync($"/rights/licences/{d.Licence}/reinstate", null), HttpStatusCode.OK);
        await Eventually.True(async () => (await anonymous.GetAsync(link)).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(5), "access back once reinstated");

        await Expect.Status(await s.M.Operator().PostAsJsonAsync($"/catalog/participants/{d.Buyer}/suspend", new { reason = "违规" }), HttpStatusCode.OK);
        await Refused(link, "buyer-suspended");
        await Expect.Status(await s.M.Operator().PostAsync($"/catalog/participants/{d.Buyer}/reinstate", null), HttpStatusCode.OK);
        await Eventually.True(async () => (await anonymous.GetAsync(link)).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(5), "access back once the buyer is reinstated");

        await Expect.Status(await s.M.Operator().PostAsJsonAsync($"/rights/licences/{d.Licence}/revoke", new { reason = "交易撤销" }), HttpStatusCode.OK);
        await Refused(link, "licence-revoked");
        await Expect.Problem(await d.BuyerClient.GetAsync($"/rights/licences/{d.Licence}/files"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Important_data_is_never_delivered_raw_even_if_its_grade_changed_after_the_licence()
    {
        await d.UploadedAsync();
        var link = (await d.LicensedFilesAsync()).Files[0].DownloadUrl!;
        await using (var connection = await s.M.Get<RightsDb>().OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE rights.products SET grade = 'Important' WHERE id = @ProductId", new { d.Sale.ProductId });
        }

        await Refused(link, "important-data-computation-only");
        var listed = await Expect.Problem(await d.BuyerClient.GetAsync($"/rights/licences/{d.Licence}/files"), HttpStatusCode.Forbidden);
        Assert.Equal("important-data-computation-only", listed.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task An_upload_whose_manifest_differs_from_the_registered_fingerprint_is_refused_with_both_digests()
    {
        var altered = DeliverySteps.Files.Select((f, i) => i == 0 ? (f.Name, f.Content[..^1]) : f).ToList();
        var refused = await Expect.Problem(await d.UploadAsync(altered), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("manifest-mismatch", refused.GetProperty("reason").GetString());
        Assert.Equal(DeliverySteps.Manifest, refused.GetProperty("expected").GetString());
        Assert.Equal(FileManifest.Sha256(refused.GetProperty("manifest").GetString()!), refused.GetProperty("actual").GetString());
        Assert.Equal(0, await s.M.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.delivery_files"));

        // Without the files, the licensee learns why there is nothing to download.
        var none = await Expect.Problem(await d.BuyerClient.GetAsync($"/rights/licences/{d.Licence}/files"), HttpStatusCode.Conflict);
        Assert.Equal("files-not-uploaded", none.GetProperty("reason").GetString());
    }

    public static TheoryData<string, string> BadNames() => new()
    {
        { "../../etc/passwd", "files[0]" },
        { "a/b.csv", "files[0]" },
        { "a\\b.csv", "files[0]" },
        { "..", "files[0]" },
        { " padded.csv", "files[0]" },
        { "tab\t.csv", "files[0]" },
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task A_file_name_that_is_not_a_plain_name_is_refused(string name, string field)
    {
        var body = new MultipartFormDataContent();
        var part = new ByteArrayContent([1, 2, 3]);
        part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "files", FileNameStar = name };
        body.Add(part);
        await Expect.ValidationProblem(await d.Provider.PostAsync($"/rights/products/{d.Sale.ProductId}/files", body), field);
        Assert.Equal(0, await s.M.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.delivery_files"));
    }

    [Fact]
    public async Task Uploads_that_are_not_well_formed_are_4xx_and_change_nothing()
    {
        var url = $"/rights/products/{d.Sale.ProductId}/files";
        await Expect.ValidationProblem(await d.UploadAsync([DeliverySteps.Files[0], DeliverySteps.Files[0]]), "files[1]");
        await Expect.Problem(await d.UploadAsync([]), HttpStatusCode.BadRequest);
        await Expect.Problem(await d.Provider.PostAsJsonAsync(url, new { files = "x" }), HttpStatusCode.UnsupportedMediaType);

        var truncated = new StringContent("--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.csv\"\r\n\r\nabc", System.Text.Encoding.UTF8);
        truncated.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        await Expect.Problem(await d.Provider.PostAsync(url, truncated), HttpStatusCode.BadRequest);
        Assert.Equal(0, await s.M.CountAsync<RightsDb>("SELECT COUNT(*) FROM rights.delivery_files"));
    }

    [Fact]
    public async Task Only_the_products_provider_uploads_and_only_the_parties_see_the_files()
    {
        await d.UploadedAsync();
        var stranger = (await s.M.AdmitAsync()).Id;
        await Expect.Problem(await d.UploadAsync(client: s.As(stranger, "provider")), HttpStatusCode.NotFound);
        await Expect.Problem(await d.UploadAsync(client: s.As(d.Buyer, "buyer")), HttpStatusCode.Forbidden);
        await Expect.Problem(await s.M.Anonymous().PostAsync($"/rights/products/{d.Sale.ProductId}/files", DeliverySteps.Multipart(DeliverySteps.Files)), HttpStatusCode.Unauthorized);

        await Expect.Problem(await s.As(stranger, "buyer").GetAsync($"/rights/licences/{d.Licence}/files"), HttpStatusCode.NotFound);
        await Expect.Problem(await s.As(stranger, "provider").GetAsync($"/rights/products/{d.Sale.ProductId}/files"), HttpStatusCode.NotFound);
        await Expect.Problem(await s.M.Anonymous().GetAsync($"/rights/licences/{d.Licence}/files"), HttpStatusCode.Unauthorized);

        // The provider and operators see the licensed set, without links: a link is the licensee's.
        foreach (var client in new[] { d.Provider, s.M.Operator() })
        {
            var seen = await client.GetFromJsonAsync<DeliverySetResponse>($"/rights/licences/{d.Licence}/files", EmbeddedMarketplace.Json);
            Assert.All(seen!.Files, f => Assert.Null(f.DownloadUrl));
        }
    }

    private async Task Refused(string link, string reason) => await Eventually.True(
        async () =>
        {
            var response = await s.M.Anonymous().GetAsync(link);
            return response.StatusCode == HttpStatusCode.Forbidden
                && (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString() == reason;
        },
        TimeSpan.FromSeconds(5),
        $"downloads refused with {reason}");
}

/// <summary>The same delivery with the files in S3-compatible storage (s3rver, started by tests/run.sh).</summary>
public sealed class S3FileDeliveryTests
{
    [Fact]
    public async Task Files_uploaded_to_an_s3_store_are_downloaded_whole_and_by_range()
    {
        var bucket = "delivery-" + Guid.NewGuid().ToString("N")[..12];
        using (var client = Marketplace.Rights.Delivery.Blobs.S3BlobStore.Client(S3Server.Settings(bucket)))
        {
            await client.PutBucketAsync(bucket);
        }

        await using var s = TradeSteps.NewHost(new Dictionary<string, string?>
        {
            ["Rights:Delivery:Store"] = "S3",
            ["Rights:Delivery:S3:ServiceUrl"] = S3Server.Url,
            ["Rights:Delivery:S3:Bucket"] = bucket,
            ["Rights:Delivery:S3:Prefix"] = "delivery/",
        });
        var d = await DeliverySteps.TradedAsync(s);
        await d.UploadedAsync();
        var anonymous = s.M.Anonymous();
        foreach (var file in (await d.LicensedFilesAsync()).Files)
        {
            var content = DeliverySteps.Files.Single(f => f.Name == file.Name).Content;
            Assert.Equal(content, await anonymous.GetByteArrayAsync(file.DownloadUrl));
            var request = new HttpRequestMessage(HttpMethod.Get, file.DownloadUrl) { Headers = { Range = new RangeHeaderValue(3, 7) } };
            using var partial = await anonymous.SendAsync(request);
            await Expect.Status(partial, HttpStatusCode.PartialContent);
            Assert.Equal(content[3..8], await partial.Content.ReadAsByteArrayAsync());
        }
    }
}
