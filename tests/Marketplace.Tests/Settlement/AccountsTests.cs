using System.Net;
using System.Net.Http.Json;
using Marketplace.Settlement.Accounts;
using Marketplace.Tests.Catalog;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Settlement;

/// <summary>Admission opens the participant's ledger accounts in settlement, visible to it and to operators only.</summary>
public sealed class AccountsTests(AdmissionTests.Host host) : IClassFixture<AdmissionTests.Host>
{
    private EmbeddedMarketplace M => host.Marketplace;

    [Fact]
    public async Task Admission_opens_available_held_and_payable_at_zero()
    {
        var p = await M.AdmitAsync();
        var client = M.ClientAs(p.Id, "buyer");

        var accounts = await Eventually.Get(async () =>
        {
            var response = await client.GetAsync($"/settlement/participants/{p.Id}/accounts");
            return response.StatusCode == HttpStatusCode.OK
                ? await response.Content.ReadFromJsonAsync<List<AccountResponse>>(EmbeddedMarketplace.Json)
                : null;
        }, what: "the accounts");

        Assert.Equal([AccountKind.Available, AccountKind.Held, AccountKind.Payable], accounts.Select(a => a.Kind).Order());
        Assert.All(accounts, a => Assert.Equal(("CNY", 0L), (a.Currency, a.Balance)));
        await Expect.Status(await M.Operator().GetAsync($"/settlement/participants/{p.Id}/accounts"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Someone_elses_accounts_are_404_and_need_a_token_and_role()
    {
        var p = await M.AdmitAsync();
        var other = await M.AdmitAsync();
        await Eventually.True(async () => (await M.Operator().GetAsync($"/settlement/participants/{p.Id}/accounts")).IsSuccessStatusCode, what: "the accounts");

        await Expect.Problem(await M.ClientAs(other.Id, "buyer").GetAsync($"/settlement/participants/{p.Id}/accounts"), HttpStatusCode.NotFound);
        await Expect.Problem(await M.Anonymous().GetAsync($"/settlement/participants/{p.Id}/accounts"), HttpStatusCode.Unauthorized);
        await Expect.Problem(await M.ClientAs(p.Id).GetAsync($"/settlement/participants/{p.Id}/accounts"), HttpStatusCode.Forbidden);
        await Expect.Problem(await M.Operator().GetAsync($"/settlement/participants/{Guid.NewGuid()}/accounts"), HttpStatusCode.NotFound);
    }
}
