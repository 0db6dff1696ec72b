using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Contracts.Pricing;
using Marketplace.Contracts.Rights;
using Marketplace.Pricing;
using Marketplace.Pricing.Plans;
using Marketplace.Pricing.Quotes;
using Marketplace.Tests.Catalog;
using Marketplace.Tests.Support;
using MassTransit;

namespace Marketplace.Tests.Pricing;

/// <summary>A listed product known to pricing, its provider, and a buyer known to pricing; plans and quotes on it.</summary>
public sealed class PricingSteps
{
    private readonly EmbeddedMarketplace m;

    private PricingSteps(EmbeddedMarketplace m, Guid providerId, Guid productId, Guid buyerId)
    {
        this.m = m;
        ProviderId = providerId;
        ProductId = productId;
        BuyerId = buyerId;
    }

    public Guid ProviderId { get; }

    public Guid ProductId { get; }

    public Guid BuyerId { get; }

    public HttpClient Provider => m.ClientAs(ProviderId, "provider");

    public HttpClient Buyer => m.ClientAs(BuyerId, "buyer");

    public static object OneOff(long price = 100_000, string name = "年度授权") => new { kind = "oneOff", name, price, termDays = 365 };

    public static object Trial() => new { kind = "trial", name = "七日试用", termDays = 7 };

    public static async Task<PricingSteps> ListedProductAsync(EmbeddedMarketplace m, object? content = null)
    {
        var products = await ProductSteps.ForNewProviderAsync(m);
        var product = await products.CreateAsync(content);
        foreach (var step in new[] { "submit", "review", "approve" })
        {
            await products.DoAsync(product.Id, step);
        }

        var buyer = await m.AdmitAsync(["buyer"]);
        await Eventually.True(
            async () => await m.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.products WHERE id = @Id AND status = 'Listed'", new { product.Id }) == 1
                && await m.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.participants WHERE id = @Id", new { buyer.Id }) == 1,
            what: "pricing learning of the listed product and the buyer");
        var providerId = (await products.Provider.GetFromJsonAsync<JsonElement>($"/catalog/products/{product.Id}")).GetProperty("ownerId").GetGuid();
        return new PricingSteps(m, providerId, product.Id, buyer.Id);
    }

    public async Task<PlanResponse> PublishAsync(object terms)
    {
        var response = await Provider.PostAsJsonAsync($"/pricing/products/{ProductId}/plans", terms);
        await Expect.Status(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<PlanResponse>(EmbeddedMarketplace.Json))!;
    }

    public IssueQuote Request(Guid planId, long quantity = 1, Guid? buyer = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), buyer ?? BuyerId, ProductId, planId, quantity);

    /// <summary>Sends the request as settlement would and waits for the quote to be readable by the buyer.</summary>
    public async Task<QuoteResponse> QuoteAsync(IssueQuote request)
    {
        await m.Get<IBus>().Publish(request);
        var id = DeterministicId.From(request.RequestId, "quote");
        var client = m.ClientAs(request.BuyerId, "buyer");
        return await Eventually.Get(async () =>
        {
            var response = await client.GetAsync($"/pricing/quotes/{id}");
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<QuoteResponse>(EmbeddedMarketplace.Json) : null;
        }, what: "the quote");
    }

    /// <summary>Sends the request and waits for pricing's refusal; returns its reason code.</summary>
    public async Task<string> RefusalAsync(IssueQuote request)
    {
        await m.Get<IBus>().Publish(request);
        var body = await Eventually.Get(async () =>
        {
            await using var connection = await m.Get<PricingDb>().OpenAsync();
            return await Dapper.SqlMapper.QuerySingleOrDefaultAsync<string>(connection,
                "SELECT body FROM pricing.outbox WHERE message_type = @Type AND body LIKE @Id",
                new { Type = typeof(QuoteRefused).FullName, Id = $"%{request.RequestId}%" });
        }, what: "the refusal");
        return JsonDocument.Parse(body).RootElement.GetProperty("reason").GetString()!;
    }
}
