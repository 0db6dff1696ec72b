using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.Settlement;
using Marketplace.Settlement.Deposits;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Settlement;

/// <summary>Deposits recorded by an operator, and reported by the payment provider's signed webhook.</summary>
public sealed class DepositTests(SettlementHost host) : IClassFixture<SettlementHost>
{
    private EmbeddedMarketplace M => host.Marketplace;

    private Task<long> Deposits() => M.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.deposits");

    private static object Body(Guid participant, long amount = 10_000, string? reference = null) => new
    {
        participantId = participant,
        amount,
        currency = "CNY",
        bankReference = reference ?? "ICBC-" + Guid.NewGuid().ToString("N")[..12],
    };

    private static HttpRequestMessage Keyed(object body, string key) => new(HttpMethod.Post, "/settlement/deposits")
    {
        Content = JsonContent.Create(body),
        Headers = { { "Idempotency-Key", key } },
    };

    [Fact]
    public async Task An_operator_records_a_bank_transfer_and_it_is_credited_once()
    {
        var p = await M.FundedParticipantAsync();
        var response = await M.Operator().PostAsJsonAsync("/settlement/deposits", Body(p, 12_345));

        await Expect.Status(response, HttpStatusCode.Created);
        var deposit = (await response.Content.ReadFromJsonAsync<DepositResponse>(EmbeddedMarketplace.Json))!;
        Assert.Equal((p, 12_345L, DepositSource.BankTransfer), (deposit.ParticipantId, deposit.Amount, deposit.Source));
        Assert.Equal(12_345, await M.BalanceAsync(p, "Available"));

        var again = await M.Operator().PostAsJsonAsync("/settlement/deposits", Body(p, 12_345, deposit.Reference));
        var problem = await Expect.Problem(again, HttpStatusCode.Conflict);
        Assert.Equal(deposit.Id, problem.GetProperty("depositId").GetGuid());
        Assert.Equal(12_345, await M.BalanceAsync(p, "Available"));
    }

    [Fact]
    public async Task The_same_idempotency_key_replays_and_with_another_body_is_422()
    {
        var p = await M.FundedParticipantAsync();
        var body = Body(p, 500);
        var key = "dep-" + Guid.NewGuid();

        var first = await M.Operator().SendAsync(Keyed(body, key));
        var second = await M.Operator().SendAsync(Keyed(body, key));
        await Expect.Status(first, HttpStatusCode.Created);
        await Expect.Status(second, HttpStatusCode.Created);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(500, await M.BalanceAsync(p, "Available"));

        await Expect.Problem(await M.Operator().SendAsync(Keyed(Body(p, 501), key)), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(500, await M.BalanceAsync(p, "Available"));

        var bad = await M.Operator().SendAsync(Keyed(body, "has spaces"));
        await Expect.Problem(bad, HttpStatusCode.BadRequest);
    }

    public static TheoryData<object, string> InvalidDeposits => new()
    {
        { new { participantId = Guid.NewGuid(), amount = 0, currency = "CNY", bankReference = "r" }, "amount" },
        { new { participantId = Guid.NewGuid(), amount = -5, currency = "CNY", bankReference = "r" }, "amount" },
        { new { participantId = Guid.NewGuid(), amount = 5, currency = "cny", bankReference = "r" }, "currency" },
        { new { participantId = Guid.NewGuid(), amount = 5, currency = "CNY", bankReference = "" }, "bankReference" },
        { new { amount = 5, currency = "CNY", bankReference = "r" }, "participantId" },
        { new { participantId = Guid.NewGuid(), amount = 1_000_000_000_000_001, currency = "CNY", bankReference = "r" }, "amount" },
    };

    [Theory]
    [MemberData(nameof(InvalidDeposits))]
    public async Task Bad_deposit_is_400_with_field_errors_and_writes_nothing(object body, string field)
    {
        var before = await Deposits();
        await Expect.ValidationProblem(await M.Operator().PostAsJsonAsync("/settlement/deposits", body), field);
        Assert.Equal(before, await Deposits());
    }

    [Fact]
    public async Task A_deposit_for_someone_without_accounts_is_422()
    {
        await Expect.Problem(await M.Operator().PostAsJsonAsync("/settlement/deposits", Body(Guid.NewGuid())), HttpStatusCode.UnprocessableEntity);
        var p = await M.FundedParticipantAsync();
        await Expect.Problem(
            await M.Operator().PostAsJsonAsync("/settlement/deposits", new { participantId = p, amount = 5, currency = "USD", bankReference = "usd-1" }),
            HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Only_operators_record_deposits()
    {
        var p = await M.FundedParticipantAsync();
        await Expect.Problem(await M.Anonymous().PostAsJsonAsync("/settlement/deposits", Body(p)), HttpStatusCode.Unauthorized);
        await Expect.Problem(await M.ClientAs(p, "provider", "buyer").PostAsJsonAsync("/settlement/deposits", Body(p)), HttpStatusCode.Forbidden);
        Assert.Equal(0, await M.BalanceAsync(p, "Available"));
    }

    private static HttpRequestMessage Webhook(string body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/settlement/deposits/webhook")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (signature is not null)
        {
            request.Headers.Add(WebhookSignature.Header, signature);
        }

        return request;
    }

    private static string Json(Guid participant, long amount, string reference) =>
        JsonSerializer.Serialize(new { participantId = participant, amount, currency = "CNY", reference });

    [Fact]
    public async Task A_signed_webhook_credits_once_and_a_replay_is_refused()
    {
        var p = await M.FundedParticipantAsync();
        var body = Json(p, 777, "PSP-" + Guid.NewGuid());
        var signature = WebhookSignature.Sign(SettlementHost.WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body);

        await Expect.Status(await M.Anonymous().SendAsync(Webhook(body, signature)), HttpStatusCode.OK);
        Assert.Equal(777, await M.BalanceAsync(p, "Available"));

        await Expect.Problem(await M.Anonymous().SendAsync(Webhook(body, signature)), HttpStatusCode.Conflict);
        Assert.Equal(777, await M.BalanceAsync(p, "Available"));
    }

    [Fact]
    public async Task A_webhook_signed_now_is_fresh_even_when_the_development_clock_was_moved()
    {
        var p = await M.FundedParticipantAsync();
        var clock = M.Get<Marketplace.BuildingBlocks.Hosting.DevClock>();
        clock.Advance(TimeSpan.FromDays(30));
        try
        {
            var body = Json(p, 555, "PSP-" + Guid.NewGuid());
            var signature = WebhookSignature.Sign(SettlementHost.WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body);
            await Expect.Status(await M.Anonymous().SendAsync(Webhook(body, signature)), HttpStatusCode.OK);

            // Signed at the moved clock's "now", which is 30 days in the provider's future: refused.
            var future = Json(p, 556, "PSP-" + Guid.NewGuid());
            var futureSignature = WebhookSignature.Sign(SettlementHost.WebhookSecret, clock.GetUtcNow().ToUnixTimeSeconds(), future);
            await Expect.Problem(await M.Anonymous().SendAsync(Webhook(future, futureSignature)), HttpStatusCode.Unauthorized);
            Assert.Equal(555, await M.BalanceAsync(p, "Available"));
        }
        finally
        {
            clock.Advance(TimeSpan.FromDays(-30));
        }
    }

    [Fact]
    public async Task Deposits_that_would_take_a_balance_past_the_largest_amount_are_refused_and_the_account_stays_usable()
    {
        // A host of its own: the exchange's side of every deposit nears its limit too.
        await using var m = new EmbeddedMarketplace();
        var p = await m.FundedParticipantAsync();
        const long max = Marketplace.BuildingBlocks.Money.MaxAmount;

        // The balance brought to within half a deposit of 2^63 - 1 by one balanced entry from the bank account.
        var start = long.MaxValue - max / 2;
        await using (var uow = await m.Get<SettlementDb>().BeginAsync())
        {
            await m.Get<Marketplace.Settlement.Ledger.LedgerPoster>().PostAsync(uow, new Marketplace.Settlement.Ledger.EntryRequest(
                Guid.NewGuid(), "deposit", null,
                [new(await m.AccountAsync(null, "BankClearing"), "CNY", -start), new(await m.AccountAsync(p, "Available"), "CNY", start)], Guid.Empty),
                DateTimeOffset.UtcNow);
            await uow.CommitAsync();
        }

        var entries = await m.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.entries");
        var problem = await Expect.Problem(await m.Operator().PostAsJsonAsync("/settlement/deposits", Body(p, max)), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("balance-out-of-range", problem.GetProperty("reason").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("amount", out _));
        Assert.Equal(start, await m.BalanceAsync(p, "Available"));
        Assert.Equal(entries, await m.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.entries"));

        // The account still reads and takes what still fits, up to 2^63 - 1 exactly.
        await Expect.Status(await m.ClientAs(p, "buyer").GetAsync($"/settlement/participants/{p}/accounts"), HttpStatusCode.OK);
        await Expect.Status(await m.Operator().PostAsJsonAsync("/settlement/deposits", Body(p, long.MaxValue - start)), HttpStatusCode.Created);
        Assert.Equal(long.MaxValue, await m.BalanceAsync(p, "Available"));
        var report = await m.Get<Marketplace.Settlement.Reconciliation.Reconciler>().RunAsync(default);
        Assert.True(report.Balanced, string.Join("; ", report.Differences));
    }

    [Fact]
    public async Task A_webhook_with_a_bad_stale_or_missing_signature_is_401_and_credits_nothing()
    {
        var p = await M.FundedParticipantAsync();
        var body = Json(p, 100, "PSP-" + Guid.NewGuid());
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var otherKey = new byte[32];

        foreach (var signature in new[]
        {
            WebhookSignature.Sign(otherKey, now, body),
            WebhookSignature.Sign(SettlementHost.WebhookSecret, now - 600, body),
            WebhookSignature.Sign(SettlementHost.WebhookSecret, now, body.Replace("100", "900", StringComparison.Ordinal)),
            "t=abc,v1=zz",
            null,
        })
        {
            await Expect.Problem(await M.Anonymous().SendAsync(Webhook(body, signature)), HttpStatusCode.Unauthorized);
        }

        Assert.Equal(0, await M.BalanceAsync(p, "Available"));
    }

    [Fact]
    public async Task A_signed_webhook_with_bad_content_is_400()
    {
        var body = JsonSerializer.Serialize(new { participantId = Guid.NewGuid(), amount = -1, currency = "CNY", reference = "x" });
        var signature = WebhookSignature.Sign(SettlementHost.WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body);
        await Expect.ValidationProblem(await M.Anonymous().SendAsync(Webhook(body, signature)), "amount");

        const string garbage = "{not json";
        await Expect.Problem(
            await M.Anonymous().SendAsync(Webhook(garbage, WebhookSignature.Sign(SettlementHost.WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), garbage))),
            HttpStatusCode.BadRequest);
    }
}
