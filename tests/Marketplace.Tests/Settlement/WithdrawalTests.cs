using System.Net;
using System.Net.Http.Json;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Settlement.Reconciliation;
using Marketplace.Settlement.Withdrawals;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Settlement;

/// <summary>Withdrawals: held at request, paid out on approval, returned on refusal; once; own only.</summary>
public sealed class WithdrawalTests(SettlementHost host) : IClassFixture<SettlementHost>
{
    private EmbeddedMarketplace M => host.Marketplace;

    private static object Body(long amount) => new { amount, currency = "CNY", bankAccount = "6222 0000 1111 2222" };

    private async Task<WithdrawalResponse> RequestAsync(Guid participant, long amount)
    {
        var response = await M.ClientAs(participant, "provider").PostAsJsonAsync("/settlement/withdrawals", Body(amount));
        await Expect.Status(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<WithdrawalResponse>(EmbeddedMarketplace.Json))!;
    }

    [Fact]
    public async Task Approved_withdrawal_leaves_the_exchange_and_refused_one_comes_back()
    {
        var p = await M.FundedParticipantAsync(1_000);
        var bankBefore = await M.BalanceAsync(null, "BankClearing");

        var approved = await RequestAsync(p, 300);
        var refused = await RequestAsync(p, 200);
        Assert.Equal(WithdrawalStatus.Pending, approved.Status);
        Assert.Equal((500L, 500L), (await M.BalanceAsync(p, "Available"), await M.BalanceAsync(p, "Held")));

        await Expect.Status(await M.Operator().PostAsync($"/settlement/withdrawals/{approved.Id}/approve", null), HttpStatusCode.OK);
        var refusal = await M.Operator().PostAsJsonAsync($"/settlement/withdrawals/{refused.Id}/refuse", new { reason = "账户名称与登记不符" });
        await Expect.Status(refusal, HttpStatusCode.OK);
        Assert.Equal("账户名称与登记不符", (await refusal.Content.ReadFromJsonAsync<WithdrawalResponse>(EmbeddedMarketplace.Json))!.Reason);

        Assert.Equal((700L, 0L), (await M.BalanceAsync(p, "Available"), await M.BalanceAsync(p, "Held")));
        Assert.Equal(bankBefore + 300, await M.BalanceAsync(null, "BankClearing"));

        var twice = await Expect.Problem(await M.Operator().PostAsync($"/settlement/withdrawals/{approved.Id}/approve", null), HttpStatusCode.Conflict);
        Assert.Equal("Approved", twice.GetProperty("currentState").GetString());
        await Expect.Problem(await M.Operator().PostAsync($"/settlement/withdrawals/{refused.Id}/approve", null), HttpStatusCode.Conflict);
        Assert.True((await M.Get<Reconciler>().RunAsync(default)).Balanced);
    }

    [Fact]
    public async Task A_withdrawal_beyond_the_available_balance_is_409_and_holds_nothing()
    {
        var p = await M.FundedParticipantAsync(100);
        var problem = await Expect.Problem(await M.ClientAs(p, "buyer").PostAsJsonAsync("/settlement/withdrawals", Body(101)), HttpStatusCode.Conflict);
        Assert.Equal("Insufficient funds", problem.GetProperty("title").GetString());
        Assert.Equal((100L, 0L), (await M.BalanceAsync(p, "Available"), await M.BalanceAsync(p, "Held")));
    }

    [Fact]
    [Trait("Category", Races.Category)]
    public async Task Concurrent_withdrawals_never_overdraw()
    {
        for (var round = 0; round < Races.Rounds(3); round++)
        {
            var p = await M.FundedParticipantAsync(1_000);
            var client = M.ClientAs(p, "provider");
            var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.PostAsJsonAsync("/settlement/withdrawals", Body(300))));

            Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
            Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
            Assert.Equal((100L, 900L), (await M.BalanceAsync(p, "Available"), await M.BalanceAsync(p, "Held")));
        }
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_same_withdrawal()
    {
        var p = await M.FundedParticipantAsync(1_000);
        var client = M.ClientAs(p, "provider");
        HttpRequestMessage Keyed(long amount) => new(HttpMethod.Post, "/settlement/withdrawals")
        {
            Content = JsonContent.Create(Body(amount)),
            Headers = { { "Idempotency-Key", "wd-1" } },
        };

        var first = await client.SendAsync(Keyed(250));
        var second = await client.SendAsync(Keyed(250));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(750, await M.BalanceAsync(p, "Available"));
        await Expect.Problem(await client.SendAsync(Keyed(251)), HttpStatusCode.UnprocessableEntity);

        // The key is the caller's: another participant using the same key makes its own withdrawal.
        var other = await M.FundedParticipantAsync(1_000);
        var theirs = await M.ClientAs(other, "buyer").SendAsync(Keyed(250));
        await Expect.Status(theirs, HttpStatusCode.Created);
        Assert.NotEqual(await first.Content.ReadAsStringAsync(), await theirs.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(0, "amount")]
    [InlineData(-1, "amount")]
    public async Task Bad_withdrawal_is_400_and_writes_nothing(long amount, string field)
    {
        var p = await M.FundedParticipantAsync(100);
        await Expect.ValidationProblem(await M.ClientAs(p, "provider").PostAsJsonAsync("/settlement/withdrawals", Body(amount)), field);
        await Expect.ValidationProblem(
            await M.ClientAs(p, "provider").PostAsJsonAsync("/settlement/withdrawals", new { amount = 5, currency = "CNY", bankAccount = "" }),
            "bankAccount");
        Assert.Equal(100, await M.BalanceAsync(p, "Available"));
    }

    [Fact]
    public async Task Withdrawals_are_seen_and_decided_only_by_whom_they_concern()
    {
        var p = await M.FundedParticipantAsync(1_000);
        var other = await M.FundedParticipantAsync(1_000);
        var w = await RequestAsync(p, 100);

        await Expect.Status(await M.ClientAs(p, "provider").GetAsync($"/settlement/withdrawals/{w.Id}"), HttpStatusCode.OK);
        await Expect.Problem(await M.ClientAs(other, "provider").GetAsync($"/settlement/withdrawals/{w.Id}"), HttpStatusCode.NotFound);
        await Expect.Problem(await M.Anonymous().GetAsync($"/settlement/withdrawals/{w.Id}"), HttpStatusCode.Unauthorized);
        await Expect.Problem(await M.ClientAs(p, "provider").PostAsync($"/settlement/withdrawals/{w.Id}/approve", null), HttpStatusCode.Forbidden);
        await Expect.Problem(await M.ClientAs(p, "provider").PostAsJsonAsync($"/settlement/withdrawals/{w.Id}/refuse", new { reason = "x" }), HttpStatusCode.Forbidden);
        await Expect.Problem(await M.Anonymous().PostAsync($"/settlement/withdrawals/{w.Id}/approve", null), HttpStatusCode.Unauthorized);
        await Expect.Problem(await M.Operator().PostAsJsonAsync("/settlement/withdrawals", Body(1)), HttpStatusCode.Forbidden);
        await Expect.Problem(await M.Operator().PostAsync($"/settlement/withdrawals/{Guid.NewGuid()}/approve", null), HttpStatusCode.NotFound);
        await Expect.ValidationProblem(await M.Operator().PostAsJsonAsync($"/settlement/withdrawals/{w.Id}/refuse", new { reason = "" }), "reason");

        var theirs = (await M.ClientAs(other, "buyer").GetFromJsonAsync<Page<WithdrawalResponse>>(
            $"/settlement/withdrawals?participantId={p}", EmbeddedMarketplace.Json))!;
        Assert.DoesNotContain(theirs.Items, x => x.ParticipantId == p);

        var queue = (await M.Operator().GetFromJsonAsync<Page<WithdrawalResponse>>(
            $"/settlement/withdrawals?status=pending&participantId={p}", EmbeddedMarketplace.Json))!;
        Assert.Equal([w.Id], queue.Items.Select(x => x.Id));
        await Expect.ValidationProblem(await M.Operator().GetAsync("/settlement/withdrawals?status=lost"), "status");
    }
}
