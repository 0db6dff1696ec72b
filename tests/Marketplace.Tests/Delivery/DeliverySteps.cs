using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Marketplace.Rights.Delivery.Files;
using Marketplace.Tests.Support;
using Marketplace.Tests.Trades;

namespace Marketplace.Tests.Delivery;

/// <summary>
/// A completed trade over a product whose listing and registration carry the fingerprint of real files: the files, the
/// sale, the buyer and the licence, and the calls a provider and a buyer make to deliver them.
/// </summary>
public sealed class DeliverySteps
{
    public static readonly IReadOnlyList<(string Name, byte[] Content)> Files =
    [
        ("traffic-2025-01.csv", RandomNumberGenerator.GetBytes(200_000)),
        ("说明.txt", Encoding.UTF8.GetBytes("逐小时交通流量，字段见 schema。\n")),
    ];

    private DeliverySteps(TradeSteps s, ForSale sale, Guid buyer, Guid licence)
    {
        S = s;
        Sale = sale;
        Buyer = buyer;
        Licence = licence;
    }

    public static string Manifest => FileManifest.Sha256(FileManifest.Text(Files.Select(f => (f.Name, Sha256(f.Content)))));

    public TradeSteps S { get; }

    public ForSale Sale { get; }

    public Guid Buyer { get; }

    public Guid Licence { get; }

    public HttpClient Provider => S.As(Sale.ProviderId, "provider");

    public HttpClient BuyerClient => S.As(Buyer, "buyer");

    public static async Task<DeliverySteps> TradedAsync(TradeSteps s)
    {
        var sale = await s.ProductWithManifestAsync(Manifest);
        var buyer = await s.BuyerAsync();
        var order = await s.CompletedAsync(buyer, sale);
        return new DeliverySteps(s, sale, buyer, order.LicenceId!.Value);
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static MultipartFormDataContent Multipart(IEnumerable<(string Name, byte[] Content)> files)
    {
        var body = new MultipartFormDataContent();
        foreach (var (name, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            body.Add(part, "files", name);
        }

        return body;
    }

    public Task<HttpResponseMessage> UploadAsync(IEnumerable<(string Name, byte[] Content)>? files = null, HttpClient? client = null) =>
        (client ?? Provider).PostAsync($"/rights/products/{Sale.ProductId}/files", Multipart(files ?? Files));

    public async Task<DeliverySetResponse> UploadedAsync()
    {
        var response = await UploadAsync();
        await Expect.Status(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<DeliverySetResponse>(EmbeddedMarketplace.Json))!;
    }

    public async Task<DeliverySetResponse> LicensedFilesAsync()
    {
        var response = await BuyerClient.GetAsync($"/rights/licences/{Licence}/files");
        await Expect.Status(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<DeliverySetResponse>(EmbeddedMarketplace.Json))!;
    }
}
