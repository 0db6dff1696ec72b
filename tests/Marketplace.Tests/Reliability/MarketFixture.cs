using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.Tests.Support;
using Marketplace.Tests.Trades;

namespace Marketplace.Tests.Reliability;

/// <summary>
/// One real trade and the objects around it, owned by a provider and a buyer, and a stranger (a third participant,
/// provider and buyer): what the authorization matrix and the fuzzer aim at.
/// </summary>
public sealed record MarketFixture(
    Guid Provider, Guid Buyer, Guid Stranger, Guid Product, Guid Registration, string Certificate, Guid Plan, Guid Quote,
    Guid Order, Guid Licence, Guid Withdrawal, Guid Valuation, string Voucher)
{
    public static async Task<MarketFixture> CreateAsync(TradeSteps s)
    {
        var sale = await s.ProductForSaleAsync();
        var buyer = await s.BuyerAsync();
        var order = await s.CompletedAsync(buyer, sale);
        var stranger = (await s.M.AdmitAsync()).Id;
        var registrations = await s.M.Operator().GetFromJsonAsync<JsonElement>($"/rights/registrations?productId={sale.ProductId}");
        var registration = registrations.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid();
        var voucher = await s.As(buyer, Roles.Buyer).GetFromJsonAsync<JsonElement>($"/settlement/orders/{order.Id}/voucher");

        var withdrawal = await s.As(buyer, Roles.Buyer).PostAsJsonAsync("/settlement/withdrawals", new { amount = 1_000, currency = "CNY", bankAccount = "6222 0000 1111 2222" });
        await Expect.Status(withdrawal, HttpStatusCode.Created);
        var valuation = await s.As(sale.ProviderId, Roles.Provider).PostAsJsonAsync($"/pricing/products/{sale.ProductId}/valuations", new
        {
            method = "cost",
            cost = new { items = new object[] { new { category = "acquisition", amount = 300_000 } }, profitRateBps = 2_000, qualityFactor = 1.0 },
        });
        await Expect.Status(valuation, HttpStatusCode.Created);

        return new MarketFixture(
            sale.ProviderId, buyer, stranger, sale.ProductId, registration, order.CertificateNumber!, sale.PlanId, order.QuoteId!.Value,
            order.Id, order.LicenceId!.Value, await IdOf(withdrawal), await IdOf(valuation), voucher.GetProperty("number").GetString()!);
    }

    /// <summary>Every id in the fixture, for filling a route value with a real object.</summary>
    public IReadOnlyList<Guid> Ids => [Provider, Buyer, Stranger, Product, Registration, Plan, Quote, Order, Licence, Withdrawal, Valuation];

    private static async Task<Guid> IdOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
}
