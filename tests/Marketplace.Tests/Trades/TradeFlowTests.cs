using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Marketplace.BuildingBlocks.Http;
using Marketplace.BuildingBlocks.Signing;
using Marketplace.Rights.Licences;
using Marketplace.Settlement;
using Marketplace.Settlement.Journal;
using Marketplace.Settlement.Orders;
using Marketplace.Settlement.Reconciliation;
using Marketplace.Settlement.Vouchers;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Trades;

/// <summary>The trade end to end in the embedded host: every service, every step, the money to the fen, the journal and the voucher.</summary>
public sealed class TradeFlowTests : IAsyncLifetime
{
    private readonly TradeSteps s = TradeSteps.NewHost();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await s.DisposeAsync();

    [Fact]
    public async Task A_buyer_orders_accepts_and_pays_the_holders_are_paid_to_the_fen_a_licence_and_a_voucher_follow()
    {
        var partner = (await s.M.AdmitAsync(["provider"])).Id;
        await Eventually.True(async () => await s.M.CountAsync<Marketplace.Rights.RightsDb>("SELECT COUNT(*) FROM rights.participants WHERE id = @partner", new { partner }) == 1
            && await s.M.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.accounts WHERE owner_id = @partner", new { partner }) == 3);
        var sale = await s.ProductForSaleAsync(coHolders: (partner, 3_333));
        var buyer = await s.BuyerAsync(1_000_000);
        var fees = await s.M.BalanceAsync(null, "FeeRevenue");
        var tax = await s.M.BalanceAsync(null, "TaxPayable");

        var quoted = await s.QuotedAsync(buyer, sale);

        // 100,001 fen: fee 3% = 3,000.03 → 3,000; VAT 6% = 6,000.06 → 6,000; total 106,001. Holders share 97,001:
        // 6,667 bp → 64,670.5667 → 64,670 (+1, larger remainder) = 64,671; 3,333 bp → 32,330.4333 → 32,330.
        Assert.Equal((100_001L, 3_000L, 6_000L, 106_001L), (quoted.Amount!.Value, quoted.ExchangeFee!.Value, quoted.Tax!.Value, quoted.Total!.Value));
        Assert.Equal([64_671L, 32_330L], quoted.Payouts!.Select(p => p.Amount));

        // Acceptance completes the trade at once: the money, the voucher naming the licence, the licence following.
        var accepted = await s.As(buyer, "buyer").PostAsync($"/settlement/orders/{quoted.Id}/accept", null);
        await Expect.Status(accepted, HttpStatusCode.OK);
        var completed = (await accepted.Content.ReadFromJsonAsync<OrderResponse>(EmbeddedMarketplace.Json))!;
        Assert.Equal((OrderStatus.Completed, AcceptOrder.LicenceOf(quoted.Id)), (completed.Status, completed.LicenceId));
        await s.LicensedAsync(completed);
        Assert.Equal(1_000_000 - 106_001, await s.M.BalanceAsync(buyer, "Available"));
        Assert.Equal(0, await s.M.BalanceAsync(buyer, "Held"));
        Assert.Equal(64_671, await s.M.BalanceAsync(sale.ProviderId, "Payable"));
        Assert.Equal(32_330, await s.M.BalanceAsync(partner, "Payable"));
        Assert.Equal(fees + 3_000, await s.M.BalanceAsync(null, "FeeRevenue"));
        Assert.Equal(tax + 6_000, await s.M.BalanceAsync(null, "TaxPayable"));
        Assert.True((await s.M.Get<Reconciler>().RunAsync(CancellationToken.None)).Balanced);

        var licence = (await s.As(buyer, "buyer").GetFromJsonAsync<LicenceResponse>($"/rights/licences/{completed.LicenceId}", EmbeddedMarketplace.Json))!;
        Assert.Equal((LicenceStatus.Active, quoted.Id, completed.SettledAt!.Value.AddDays(365)), (licence.Status, licence.OrderId, licence.EndsAt));
        Assert.Equal(completed.LicenceEndsAt, licence.EndsAt);

        // Rights and pricing answered in parallel: the journal holds the order placed, the first answer (in either order), quoted, completed.
        var order = (await s.As(sale.ProviderId, "provider").GetFromJsonAsync<OrderWithTimeline>($"/settlement/orders/{quoted.Id}", EmbeddedMarketplace.Json))!;
        Assert.Equal(4, order.Timeline.Count);
        Assert.Equal(("Requested", "Quoted", "Completed"), (order.Timeline[0].State, order.Timeline[2].State, order.Timeline[3].State));
        Assert.Contains(order.Timeline[1].State, new[] { "Requested", "AwaitingQuote" });
        Assert.True((await s.M.Operator().GetFromJsonAsync<JournalVerification>("/settlement/journal/verification", EmbeddedMarketplace.Json))!.Ok);

        // The voucher: online and offline, and it names the journal entry of the completion.
        var voucher = (await s.As(buyer, "buyer").GetFromJsonAsync<Voucher>($"/settlement/orders/{quoted.Id}/voucher", EmbeddedMarketplace.Json))!;
        var verification = (await s.M.Anonymous().GetFromJsonAsync<VoucherVerification>($"/settlement/vouchers/{voucher.Number}/verification", EmbeddedMarketplace.Json))!;
        Assert.True(verification.SignatureValid && verification.JournalMatches);
        Assert.Contains($"\"journalHash\":\"{order.Timeline[^1].Hash}\"", voucher.Payload, StringComparison.Ordinal);
        var keys = (await s.M.Anonymous().GetFromJsonAsync<List<VerificationKey>>("/settlement/vouchers/keys", EmbeddedMarketplace.Json))!;
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(keys.Single(k => k.KeyId == voucher.KeyId).Pem);
        Assert.True(ecdsa.VerifyData(Encoding.UTF8.GetBytes(voucher.Payload), Convert.FromBase64String(voucher.Signature), HashAlgorithmName.SHA256));

        // After the dispute window the proceeds become withdrawable.
        s.Time.Advance(TimeSpan.FromDays(7));
        Assert.Equal(1, await s.M.Get<ProceedsRelease>().ReleaseDueAsync(CancellationToken.None));
        Assert.Equal(0, await s.M.Get<ProceedsRelease>().ReleaseDueAsync(CancellationToken.None));
        Assert.Equal((0L, 64_671L), (await s.M.BalanceAsync(sale.ProviderId, "Payable"), await s.M.BalanceAsync(sale.ProviderId, "Available")));
        Assert.Equal(32_330, await s.M.BalanceAsync(partner, "Available"));
        Assert.True((await s.M.Get<Reconciler>().RunAsync(CancellationToken.None)).Balanced);
    }

    [Fact]
    public async Task The_order_shows_what_became_of_its_licence()
    {
        var sale = await s.ProductForSaleAsync();
        var buyer = await s.BuyerAsync();
        var completed = await s.CompletedAsync(buyer, sale);
        Assert.Equal(LicenceState.Active, completed.LicenceStatus);

        var licence = $"/rights/licences/{completed.LicenceId}";
        await Expect.Status(await s.M.Operator().PostAsJsonAsync($"{licence}/suspend", new { reason = "涉嫌超范围使用" }), HttpStatusCode.OK);
        var suspended = await Eventually.Get(async () => await s.ReadAsync(buyer, completed.Id) is { LicenceStatus: LicenceState.Suspended } o ? o : null);
        Assert.True(suspended.Version > completed.Version); // a version of the order, journaled like any other
        await Expect.Status(await s.M.Operator().PostAsync($"{licence}/reinstate", null), HttpStatusCode.OK);
        await Eventually.True(async () => (await s.ReadAsync(buyer, completed.Id)).LicenceStatus == LicenceState.Active);
        await Expect.Status(await s.M.Operator().PostAsJsonAsync($"{licence}/revoke", new { reason = "违规" }), HttpStatusCode.OK);
        var revoked = await Eventually.Get(async () => await s.ReadAsync(buyer, completed.Id) is { LicenceStatus: LicenceState.Revoked } o ? o : null);
        Assert.Equal(OrderStatus.Completed, revoked.Status);
        Assert.True((await s.M.Operator().GetFromJsonAsync<JournalVerification>("/settlement/journal/verification", EmbeddedMarketplace.Json))!.Ok);
    }

    [Fact]
    public async Task A_product_needing_approval_waits_for_its_provider_then_trades()
    {
        var sale = await s.ProductForSaleAsync(manualApproval: true);
        var buyer = await s.BuyerAsync();
        var order = await s.OrderAsync(buyer, sale);
        await s.StatusAsync(buyer, order.Id, OrderStatus.AwaitingProvider);
        await Expect.Status(await s.As(sale.ProviderId, "provider").PostAsync($"/rights/access/requests/{order.Id}/approve", null), HttpStatusCode.OK);
        await s.StatusAsync(buyer, order.Id, OrderStatus.Quoted);
    }

    [Fact]
    public async Task A_quote_that_lapses_while_the_provider_decides_is_asked_for_again_at_the_approval()
    {
        var sale = await s.ProductForSaleAsync(manualApproval: true);
        var buyer = await s.BuyerAsync();
        var order = await s.OrderAsync(buyer, sale);
        const string Quotes = "SELECT COUNT(*) FROM pricing.quotes WHERE order_id = @Id";
        await Eventually.True(async () => await s.M.CountAsync<Marketplace.Pricing.PricingDb>(Quotes, new { order.Id }) == 1, what: "pricing's first quote");
        var waiting = await s.StatusAsync(buyer, order.Id, OrderStatus.AwaitingProvider);
        Assert.Null(waiting.Total); // a quote in before rights approved is not shown

        // The first quote lapses, and the sweep says so: the order keeps waiting for its provider.
        s.Time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(1, await s.M.Get<Marketplace.Pricing.Quotes.QuoteExpiry>().ExpireDueAsync(CancellationToken.None));
        await Expect.Status(await s.As(sale.ProviderId, "provider").PostAsync($"/rights/access/requests/{order.Id}/approve", null), HttpStatusCode.OK);

        var quoted = await s.StatusAsync(buyer, order.Id, OrderStatus.Quoted);
        Assert.Equal(2, await s.M.CountAsync<Marketplace.Pricing.PricingDb>(Quotes, new { order.Id }));
        Assert.True(quoted.QuoteValidUntil > s.Time.GetUtcNow());
        await Expect.Status(await s.As(buyer, "buyer").PostAsync($"/settlement/orders/{order.Id}/accept", null), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Each_end_other_than_completion_is_reached_with_its_reason()
    {
        var sale = await s.ProductForSaleAsync();
        var uncertified = await s.ProductForSaleAsync(certify: false);
        var buyer = await s.BuyerAsync(50_000);

        var rejected = await s.StatusAsync(buyer, (await s.OrderAsync(buyer, uncertified)).Id, OrderStatus.Rejected);
        Assert.Equal("seller-not-certified", rejected.Reason);

        var refused = await s.StatusAsync(buyer, (await s.OrderAsync(buyer, sale, quantity: 101)).Id, OrderStatus.Rejected);
        Assert.Equal("quantity-out-of-range", refused.Reason);

        var cancelled = await s.QuotedAsync(buyer, sale);
        await Expect.Status(await s.As(buyer, "buyer").PostAsync($"/settlement/orders/{cancelled.Id}/cancel", null), HttpStatusCode.OK);
        await Expect.Problem(await s.As(buyer, "buyer").PostAsync($"/settlement/orders/{cancelled.Id}/accept", null), HttpStatusCode.Conflict);

        var failed = await s.QuotedAsync(buyer, sale); // 106,001 due, 50,000 available
        var problem = await Expect.Problem(await s.As(buyer, "buyer").PostAsync($"/settlement/orders/{failed.Id}/accept", null), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("insufficient-funds", problem.GetProperty("reason").GetString());
        Assert.Equal("insufficient-funds", (await s.StatusAsync(buyer, failed.Id, OrderStatus.Failed)).Reason);
        Assert.Equal((50_000L, 0L), (await s.M.BalanceAsync(buyer, "Available"), await s.M.BalanceAsync(buyer, "Held")));

        var late = await s.QuotedAsync(buyer, sale);
        s.Time.Advance(TimeSpan.FromMinutes(30));
        var expired = await Expect.Problem(await s.As(buyer, "buyer").PostAsync($"/settlement/orders/{late.Id}/accept", null), HttpStatusCode.Conflict);
        Assert.Equal("Expired", expired.GetProperty("currentState").GetString());

        var swept = await s.QuotedAsync(buyer, sale);
        s.Time.Advance(TimeSpan.FromMinutes(30));
        await s.M.Get<Marketplace.Pricing.Quotes.QuoteExpiry>().ExpireDueAsync(CancellationToken.None);
        Assert.Equal("quote-expired", (await s.StatusAsync(buyer, swept.Id, OrderStatus.Expired)).Reason);
        Assert.True((await s.M.Operator().GetFromJsonAsync<JournalVerification>("/settlement/journal/verification", EmbeddedMarketplace.Json))!.Ok);
    }

    [Fact]
    public async Task A_settled_trade_whose_licence_rights_refuses_is_refunded_in_full()
    {
        // The second buyer's order is approved and quoted; before it is paid, an exclusive licence on the product is
        // granted (a trade settled elsewhere whose event reaches rights now): rights refuses the second buyer's licence
        // and settlement gives everything back, fee and tax included.
        var sale = await s.ProductForSaleAsync();
        var first = await s.BuyerAsync(1_000_000);
        var second = await s.BuyerAsync(1_000_000);
        var fees = await s.M.BalanceAsync(null, "FeeRevenue");
        var tax = await s.M.BalanceAsync(null, "TaxPayable");
        var b = await s.QuotedAsync(second, sale);
        var elsewhere = Guid.NewGuid();
        var now = s.Time.GetUtcNow();
        await s.M.Get<MassTransit.IBus>().Publish(new Marketplace.Contracts.Settlement.TradeSettled(
            elsewhere, Guid.NewGuid(), first, sale.ProviderId, sale.ProductId, sale.PlanId, 1, "CNY", 0, AcceptOrder.LicenceOf(elsewhere), "研究", true, now.AddYears(1), now));
        await Eventually.True(async () => await s.M.CountAsync<Marketplace.Rights.RightsDb>("SELECT COUNT(*) FROM rights.licences WHERE order_id = @elsewhere", new { elsewhere }) == 1);

        await Expect.Status(await s.As(second, "buyer").PostAsync($"/settlement/orders/{b.Id}/accept", null), HttpStatusCode.OK);
        var refunded = await s.StatusAsync(second, b.Id, OrderStatus.Refunded);

        Assert.Equal("exclusive-licence-active", refunded.Reason);
        Assert.Equal(refunded.Total, refunded.Refunded); // what the buyer got back: everything
        Assert.Null(refunded.LicenceId);
        Assert.Equal((1_000_000L, 0L), (await s.M.BalanceAsync(second, "Available"), await s.M.BalanceAsync(second, "Held")));
        Assert.Equal(0, await s.M.BalanceAsync(sale.ProviderId, "Payable"));
        Assert.Equal((fees, tax), (await s.M.BalanceAsync(null, "FeeRevenue"), await s.M.BalanceAsync(null, "TaxPayable")));
        Assert.True((await s.M.Get<Reconciler>().RunAsync(CancellationToken.None)).Balanced);
        Assert.True((await s.M.Operator().GetFromJsonAsync<JournalVerification>("/settlement/journal/verification", EmbeddedMarketplace.Json))!.Ok);
        s.Time.Advance(TimeSpan.FromDays(8));
        Assert.Equal(0, await s.M.Get<ProceedsRelease>().ReleaseDueAsync(CancellationToken.None)); // nothing of the refunded trade is ever released
        Assert.Equal(0, await s.M.CountAsync<Marketplace.Rights.RightsDb>("SELECT COUNT(*) FROM rights.licences WHERE order_id = @Id", new { b.Id }));
    }

    [Fact]
    public async Task An_answer_repeated_under_a_new_message_id_or_arriving_late_changes_nothing()
    {
        var sale = await s.ProductForSaleAsync();
        var buyer = await s.BuyerAsync();
        var quoted = await s.QuotedAsync(buyer, sale);
        var bus = s.M.Get<MassTransit.IBus>();
        var now = s.Time.GetUtcNow();
        const string Consumed = "SELECT COUNT(*) FROM settlement.inbox WHERE consumer = 'OrderProgressConsumer'";
        var before = await s.M.CountAsync<SettlementDb>(Consumed);

        // The inbox stops the same message id; the order's state stops the same answer sent again, or one it no longer expects.
        await bus.Publish(new Marketplace.Contracts.Rights.AccessApproved(quoted.Id, buyer, sale.ProductId, sale.ProviderId, quoted.CertificateNumber!, quoted.Holders!, false, now));
        await bus.Publish(new Marketplace.Contracts.Rights.AccessRejected(quoted.Id, buyer, sale.ProductId, "seller-not-certified", "late", now));
        await bus.Publish(new Marketplace.Contracts.Rights.LicenceRefused(quoted.Id, buyer, sale.ProductId, "exclusive-conflict", "late", now));
        await Eventually.True(async () => await s.M.CountAsync<SettlementDb>(Consumed) == before + 3, what: "the three answers consumed");

        var order = (await s.As(buyer, "buyer").GetFromJsonAsync<OrderWithTimeline>($"/settlement/orders/{quoted.Id}", EmbeddedMarketplace.Json))!;
        Assert.Equal((OrderStatus.Quoted, quoted.Version), (order.Order.Status, order.Order.Version));
        Assert.Equal(0, await s.M.CountAsync<SettlementDb>(
            "SELECT COUNT(*) FROM settlement.outbox WHERE message_type = @T AND body LIKE @O", new { T = typeof(Marketplace.Contracts.Pricing.IssueQuote).FullName, O = $"%{quoted.Id}%" }));
    }

    [Fact]
    [Trait("Category", Races.Category)]
    public async Task The_same_quote_accepted_twice_at_once_is_paid_once()
    {
        var sale = await s.ProductForSaleAsync();
        var rounds = Races.Rounds(5);
        var buyer = await s.BuyerAsync(106_001L * rounds);
        for (var round = 0; round < rounds; round++)
        {
            var quoted = await s.QuotedAsync(buyer, sale);
            var before = await s.M.BalanceAsync(buyer, "Available");
            var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => s.As(buyer, "buyer").PostAsync($"/settlement/orders/{quoted.Id}/accept", null)));
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
            Assert.Equal(before - 106_001, await s.M.BalanceAsync(buyer, "Available"));
        }
    }

    [Fact]
    [Trait("Category", Races.Category)]
    public async Task Cancellation_racing_acceptance_has_exactly_one_outcome()
    {
        var sale = await s.ProductForSaleAsync();
        var rounds = Races.Rounds(5);
        var buyer = await s.BuyerAsync(106_001L * rounds);
        for (var round = 0; round < rounds; round++)
        {
            var quoted = await s.QuotedAsync(buyer, sale);
            var before = await s.M.BalanceAsync(buyer, "Available");
            var answers = await Task.WhenAll(
                s.As(buyer, "buyer").PostAsync($"/settlement/orders/{quoted.Id}/accept", null),
                s.As(buyer, "buyer").PostAsync($"/settlement/orders/{quoted.Id}/cancel", null));
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            var order = (await s.As(buyer, "buyer").GetFromJsonAsync<OrderWithTimeline>($"/settlement/orders/{quoted.Id}", EmbeddedMarketplace.Json))!.Order;
            Assert.Equal(order.Status == OrderStatus.Cancelled ? before : before - 106_001, await s.M.BalanceAsync(buyer, "Available"));
        }
    }

    [Fact]
    public async Task Disputes_are_dismissed_or_refunded_in_part_or_in_full_and_a_full_refund_revokes_the_licence()
    {
        var sale = await s.ProductForSaleAsync();
        var buyer = await s.BuyerAsync(1_000_000);
        var orders = new List<OrderResponse>();
        for (var i = 0; i < 3; i++)
        {
            orders.Add(await s.CompletedAsync(buyer, sale));
        }

        var disputes = new List<Marketplace.Settlement.Disputes.Dispute>();
        foreach (var order in orders)
        {
            var filed = await s.As(buyer, "buyer").PostAsJsonAsync($"/settlement/orders/{order.Id}/disputes", new { grounds = "数据与描述严重不符" });
            await Expect.Status(filed, HttpStatusCode.Created);
            disputes.Add((await filed.Content.ReadFromJsonAsync<Marketplace.Settlement.Disputes.Dispute>(EmbeddedMarketplace.Json))!);
        }

        await Expect.Problem(await s.As(buyer, "buyer").PostAsJsonAsync($"/settlement/orders/{orders[0].Id}/disputes", new { grounds = "again" }), HttpStatusCode.Conflict);
        var available = await s.M.BalanceAsync(buyer, "Available");
        var payable = await s.M.BalanceAsync(sale.ProviderId, "Payable");

        await Expect.Status(await s.M.Operator().PostAsJsonAsync($"/settlement/disputes/{disputes[0].Id}/ruling", new { decision = "dismiss", reason = "证据不足" }), HttpStatusCode.OK);
        await Expect.Problem(await s.M.Operator().PostAsJsonAsync($"/settlement/disputes/{disputes[1].Id}/ruling", new { decision = "refund", amount = 97_002, reason = "x" }), HttpStatusCode.UnprocessableEntity);
        await Expect.Status(await s.M.Operator().PostAsJsonAsync($"/settlement/disputes/{disputes[1].Id}/ruling", new { decision = "refund", amount = 20_000, reason = "部分字段缺失" }), HttpStatusCode.OK);
        await Expect.Status(await s.M.Operator().PostAsJsonAsync($"/settlement/disputes/{disputes[2].Id}/ruling", new { decision = "refund", reason = "数据不可用" }), HttpStatusCode.OK);
        await Expect.Problem(await s.M.Operator().PostAsJsonAsync($"/settlement/disputes/{disputes[2].Id}/ruling", new { decision = "dismiss", reason = "x" }), HttpStatusCode.Conflict);

        Assert.Equal(available + 20_000 + 106_001, await s.M.BalanceAsync(buyer, "Available"));

        // "Refunded" means one thing everywhere — what the buyer got back — on the order, in its CSV, the dispute and the daily report.
        var full = await s.StatusAsync(buyer, orders[2].Id, OrderStatus.Refunded);
        Assert.Equal((106_001L, 106_001L), (full.Total!.Value, full.Refunded));
        Assert.Equal(20_000, (await s.StatusAsync(buyer, orders[1].Id, OrderStatus.Completed)).Refunded);
        var csv = await s.M.Operator().GetStringAsync($"/settlement/orders?format=csv&participantId={buyer}");
        var header = csv.Split('\n')[0].Split(',');
        var row = csv.Split('\n').Single(l => l.StartsWith(orders[2].Id.ToString(), StringComparison.Ordinal)).Split(',');
        Assert.Equal("106001", row[Array.IndexOf(header, "refunded")]);
        var rulings = await s.M.Operator().GetFromJsonAsync<System.Text.Json.JsonElement>("/settlement/disputes");
        Assert.Equal(
            [20_000L, 106_001L],
            rulings.GetProperty("items").EnumerateArray().Where(d => d.TryGetProperty("refund", out var r) && r.ValueKind == System.Text.Json.JsonValueKind.Number)
                .Select(d => d.GetProperty("refund").GetInt64()).Order());
        var day = full.SettledAt!.Value.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var report = await s.M.Operator().GetFromJsonAsync<System.Text.Json.JsonElement>($"/settlement/reports/daily?date={day}");
        Assert.Equal(126_001, report.GetProperty("rows").EnumerateArray().Sum(l => l.GetProperty("refunded").GetInt64()));
        Assert.Equal(payable - 20_000 - 97_001, await s.M.BalanceAsync(sale.ProviderId, "Payable"));
        Assert.Equal(OrderStatus.Refunded, (await s.StatusAsync(buyer, orders[2].Id, OrderStatus.Refunded)).Status);
        await Eventually.True(async () =>
            (await s.As(buyer, "buyer").GetFromJsonAsync<LicenceResponse>($"/rights/licences/{orders[2].LicenceId}", EmbeddedMarketplace.Json))!.Status == LicenceStatus.Revoked,
            what: "the licence revoked");

        s.Time.Advance(TimeSpan.FromDays(7));
        Assert.Equal(2, await s.M.Get<ProceedsRelease>().ReleaseDueAsync(CancellationToken.None)); // the dismissed and the partly refunded
        Assert.Equal(97_001 + (97_001 - 20_000), await s.M.BalanceAsync(sale.ProviderId, "Available"));
        Assert.Equal(0, await s.M.BalanceAsync(sale.ProviderId, "Payable"));
        Assert.True((await s.M.Get<Reconciler>().RunAsync(CancellationToken.None)).Balanced);
        Assert.True((await s.M.Operator().GetFromJsonAsync<JournalVerification>("/settlement/journal/verification", EmbeddedMarketplace.Json))!.Ok);

        var late = await s.CompletedAsync(buyer, sale);
        s.Time.Advance(TimeSpan.FromDays(8));
        await Expect.Problem(await s.As(buyer, "buyer").PostAsJsonAsync($"/settlement/orders/{late.Id}/disputes", new { grounds = "太晚" }), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Operators_audit_filter_export_and_summarise_participants_see_their_own()
    {
        var sale = await s.ProductForSaleAsync();
        var buyer = await s.BuyerAsync(1_000_000);
        var other = await s.BuyerAsync(0);
        var completed = await s.CompletedAsync(buyer, sale);
        var cancelled = await s.QuotedAsync(buyer, sale);
        await Expect.Status(await s.As(buyer, "buyer").PostAsync($"/settlement/orders/{cancelled.Id}/cancel", null), HttpStatusCode.OK);

        Assert.Equal(2, (await s.As(buyer, "buyer").GetFromJsonAsync<Page<OrderResponse>>("/settlement/orders", EmbeddedMarketplace.Json))!.Items.Count);
        Assert.Equal(2, (await s.As(sale.ProviderId, "provider").GetFromJsonAsync<Page<OrderResponse>>("/settlement/orders", EmbeddedMarketplace.Json))!.Items.Count);
        Assert.Empty((await s.As(other, "buyer").GetFromJsonAsync<Page<OrderResponse>>($"/settlement/orders?participantId={buyer}", EmbeddedMarketplace.Json))!.Items);
        var filtered = (await s.M.Operator().GetFromJsonAsync<Page<OrderResponse>>($"/settlement/orders?participantId={buyer}&status=completed&minAmount=100000", EmbeddedMarketplace.Json))!;
        Assert.Equal(completed.Id, Assert.Single(filtered.Items).Id);
        var csv = await s.M.Operator().GetStringAsync($"/settlement/orders?productId={sale.ProductId}&format=csv");
        Assert.Equal(3, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains($"{completed.Id},", csv, StringComparison.Ordinal);

        var day = DateOnly.FromDateTime(completed.SettledAt!.Value.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var report = (await s.M.Operator().GetFromJsonAsync<Marketplace.Settlement.Reports.DailyReport>($"/settlement/reports/daily?date={day:yyyy-MM-dd}", EmbeddedMarketplace.Json))!;
        var row = Assert.Single(report.Rows);
        Assert.Equal(("G", "General", 1L, 100_001L, 3_000L, 6_000L), (row.Category, row.Grade, row.Trades, row.Gross, row.Fees, row.Tax));

        await Expect.Problem(await s.As(other, "buyer").GetAsync($"/settlement/orders/{completed.Id}"), HttpStatusCode.NotFound);
        await Expect.Problem(await s.As(other, "buyer").GetAsync($"/settlement/orders/{completed.Id}/voucher"), HttpStatusCode.NotFound);
        await Expect.Problem(await s.As(other, "buyer").PostAsync($"/settlement/orders/{completed.Id}/cancel", null), HttpStatusCode.NotFound);
        await Expect.Problem(await s.As(other, "buyer").PostAsJsonAsync($"/settlement/orders/{completed.Id}/disputes", new { grounds = "x" }), HttpStatusCode.NotFound);
        await Expect.Problem(await s.As(buyer, "buyer").GetAsync("/settlement/reports/daily"), HttpStatusCode.Forbidden);
        await Expect.Problem(await s.As(buyer, "buyer").GetAsync("/settlement/journal/verification"), HttpStatusCode.Forbidden);
        await Expect.Problem(await s.As(buyer, "buyer").GetAsync("/settlement/disputes"), HttpStatusCode.Forbidden);
        await Expect.Problem(await s.As(buyer, "buyer").PostAsJsonAsync($"/settlement/disputes/{Guid.NewGuid()}/ruling", new { decision = "dismiss", reason = "x" }), HttpStatusCode.Forbidden);
        await Expect.Problem(await s.As(sale.ProviderId, "provider").PostAsJsonAsync("/settlement/orders", new { productId = sale.ProductId, planId = sale.PlanId, quantity = 1, purpose = "x" }), HttpStatusCode.Forbidden);
        await Expect.Problem(await s.M.Anonymous().GetAsync("/settlement/orders"), HttpStatusCode.Unauthorized);
        await Expect.ValidationProblem(await s.As(buyer, "buyer").PostAsJsonAsync("/settlement/orders", new { quantity = 0, purpose = "" }), "productId", "planId", "quantity", "purpose");
        await Expect.ValidationProblem(await s.M.Operator().GetAsync("/settlement/orders?status=lost&format=xml&minAmount=5&maxAmount=1"), "status", "format", "maxAmount");
        await Expect.ValidationProblem(await s.M.Operator().PostAsJsonAsync($"/settlement/disputes/{Guid.NewGuid()}/ruling", new { decision = "dismiss", amount = 5 }), "amount", "reason");
        await Expect.Problem(await s.As(buyer, "buyer").PostAsJsonAsync("/settlement/orders", new { productId = Guid.NewGuid(), planId = sale.PlanId, quantity = 1, purpose = "x" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_idempotency_key_gives_one_order_for_one_request()
    {
        var sale = await s.ProductForSaleAsync();
        var buyer = await s.BuyerAsync();
        HttpRequestMessage Post(long quantity)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/settlement/orders")
            {
                Content = JsonContent.Create(new { productId = sale.ProductId, planId = sale.PlanId, quantity, purpose = "研究" }),
            };
            request.Headers.Add("Idempotency-Key", "order-42");
            return request;
        }

        var first = await s.As(buyer, "buyer").SendAsync(Post(1));
        await Expect.Status(first, HttpStatusCode.Created);
        var again = await s.As(buyer, "buyer").SendAsync(Post(1));
        await Expect.Status(again, HttpStatusCode.OK);
        Assert.Equal((await first.Content.ReadFromJsonAsync<OrderResponse>(EmbeddedMarketplace.Json))!.Id, (await again.Content.ReadFromJsonAsync<OrderResponse>(EmbeddedMarketplace.Json))!.Id);
        await Expect.Problem(await s.As(buyer, "buyer").SendAsync(Post(2)), HttpStatusCode.UnprocessableEntity);
    }
}
