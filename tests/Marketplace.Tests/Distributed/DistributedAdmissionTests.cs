using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Distributed;

/// <summary>
/// Participant admission across separate processes: catalog admits, RabbitMQ carries the event, settlement (another
/// process) opens the accounts, and the participant reads them through the gateway.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class DistributedAdmissionTests
{
    [Fact]
    public async Task Admission_in_catalog_opens_accounts_in_settlement_across_processes()
    {
        await using var marketplace = await DistributedMarketplace.StartAsync();
        using var client = marketplace.Client();

        var operatorToken = await TokenAsync(client, new { });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", operatorToken);
        var admitted = await client.PostAsJsonAsync("/catalog/participants", new
        {
            name = "上海数据交易测试有限公司",
            jurisdiction = "mainland",
            creditCode = Codes.NewCreditCode(),
            roles = new[] { "buyer" },
            qualification = "basic",
        });
        await Expect.Status(admitted, HttpStatusCode.Created);
        var id = JsonDocument.Parse(await admitted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        using var buyer = marketplace.Client();
        buyer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", await TokenAsync(buyer, new { subject = id, roles = new[] { "buyer" } }));
        JsonDocument accounts;
        try
        {
            accounts = await Eventually.Get(async () =>
            {
                var response = await buyer.GetAsync($"/settlement/participants/{id}/accounts");
                return response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()) : null;
            }, TimeSpan.FromSeconds(60), "settlement opens the accounts");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + "\n" + marketplace.Logs(), ex);
        }

        Assert.Equal(
            ["available", "held", "payable"],
            accounts.RootElement.EnumerateArray().Select(a => a.GetProperty("kind").GetString()).Order());
        await Expect.Status(await buyer.GetAsync($"/catalog/participants/{id}"), HttpStatusCode.OK);
        await Expect.Problem(await buyer.GetAsync($"/settlement/participants/{Guid.NewGuid()}/accounts"), HttpStatusCode.NotFound);
    }

    private static async Task<string> TokenAsync(HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/dev/token", request);
        await Expect.Status(response, HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString()!;
    }
}
