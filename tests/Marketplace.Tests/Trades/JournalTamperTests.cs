using System.Net;
using System.Net.Http.Json;
using Dapper;
using Marketplace.Settlement;
using Marketplace.Settlement.Journal;
using Marketplace.Settlement.Orders;
using Marketplace.Settlement.Vouchers;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Trades;

/// <summary>The trade journal and the vouchers against someone with write access to the database.</summary>
public sealed class JournalTamperTests : IAsyncLifetime
{
    private readonly TradeSteps s = TradeSteps.NewHost();
    private OrderResponse completed = null!;
    private Guid buyer;

    public async Task InitializeAsync()
    {
        var sale = await s.ProductForSaleAsync();
        buyer = await s.BuyerAsync();
        completed = await s.CompletedAsync(buyer, sale);
        var cancelled = await s.QuotedAsync(buyer, sale);
        await Expect.Status(await s.As(buyer, "buyer").PostAsync($"/settlement/orders/{cancelled.Id}/cancel", null), HttpStatusCode.OK);
    }

    public async Task DisposeAsync() => await s.DisposeAsync();

    private async Task<JournalVerification> VerifyAfterAsync(string sql)
    {
        await using (var connection = await s.M.Get<SettlementDb>().OpenAsync())
        {
            Assert.True(await connection.ExecuteAsync(sql) >= 1, "The tampering statement changed nothing.");
        }

        return (await s.M.Operator().GetFromJsonAsync<JournalVerification>("/settlement/journal/verification", EmbeddedMarketplace.Json))!;
    }

    [Fact]
    public async Task The_untouched_journal_verifies()
    {
        var verification = (await s.M.Operator().GetFromJsonAsync<JournalVerification>("/settlement/journal/verification", EmbeddedMarketplace.Json))!;
        Assert.True(verification.Ok);
        Assert.Equal(8, verification.VerifiedThrough); // placed, first answer, quoted, then completed — or cancelled
        await AssertSameSplitAsync(verification);
    }

    [Fact]
    public async Task The_journal_holds_the_whole_order_once_then_what_each_change_wrote()
    {
        await using var connection = await s.M.Get<SettlementDb>().OpenAsync();
        var details = (await connection.QueryAsync<string>(
            "SELECT detail FROM settlement.trade_journal WHERE order_id = @Id ORDER BY position", new { completed.Id })).ToList();
        Assert.Equal(4, details.Count);
        Assert.Contains("城市交通规划研究", details[0], StringComparison.Ordinal);
        Assert.All(details.Skip(1), d => Assert.DoesNotContain("城市交通规划研究", d, StringComparison.Ordinal));
        Assert.Contains($"\"licenceId\":\"{completed.LicenceId}\"", details[3], StringComparison.Ordinal);
        Assert.Contains("\"status\":\"completed\"", details[3], StringComparison.Ordinal);
        Assert.True(details.Skip(1).All(d => d.Length < details[0].Length));
    }

    /// <summary>The walk split into parallel ranges gives exactly the single walk's answer, wherever the ranges meet.</summary>
    private async Task AssertSameSplitAsync(JournalVerification single)
    {
        var db = s.M.Get<SettlementDb>();
        foreach (var ranges in new[] { 1, 2, 3, 4, 5, 9 })
        {
            Assert.Equal(single, await TradeJournal.VerifyAsync(db, default, ranges));
            // Read through the ADO.NET reader, as SQL Server's journal is: the same answer.
            Assert.Equal(single, await JournalVerifier.VerifyAsync(db, ranges, default, adoNet: true));
        }
    }

    public static TheoryData<string, string, long> Tampering() => new()
    {
        { "an edited purpose", "UPDATE settlement.trade_journal SET detail = REPLACE(detail, '城市交通规划研究', '其他') WHERE position = 1", 1 },
        { "an edited licence", "UPDATE settlement.trade_journal SET detail = REPLACE(detail, '\"licenceId\":\"', '\"licenceId\":\"0') WHERE position = 4", 4 },
        { "an edited state", "UPDATE settlement.trade_journal SET state = 'Cancelled' WHERE position = 3", 3 },
        { "a deleted entry", "DELETE FROM settlement.trade_journal WHERE position = 5", 5 },
        { "an inserted entry", "UPDATE settlement.trade_journal SET position = position + 1000 WHERE position >= 7; UPDATE settlement.trade_journal SET position = position - 999 WHERE position >= 1000; INSERT INTO settlement.trade_journal SELECT 7, order_id, order_version, state, detail, actor_id, recorded_at, prev_hash, hash FROM settlement.trade_journal WHERE position = 6", 7 },
        { "two entries reordered", "UPDATE settlement.trade_journal SET position = -1 WHERE position = 6; UPDATE settlement.trade_journal SET position = 6 WHERE position = 7; UPDATE settlement.trade_journal SET position = 7 WHERE position = -1", 6 },
        { "a rehashed edit", "UPDATE settlement.trade_journal SET detail = REPLACE(detail, 'Quoted', 'Rejected'), hash = '" + new string('f', 64) + "' WHERE position = 3", 3 },
        { "the last entry cut off", "DELETE FROM settlement.trade_journal WHERE position = 8", 8 },
        { "an instant that is not one", "UPDATE settlement.trade_journal SET recorded_at = 'yesterday' WHERE position = 2", 2 },
        { "an instant edited", "UPDATE settlement.trade_journal SET recorded_at = REPLACE(recorded_at, '+00:00', '1+00:00') WHERE position = 6", 6 },
        { "an order id that is not one", "UPDATE settlement.trade_journal SET order_id = 'x' WHERE position = 8", 8 },
        { "an actor changed", "UPDATE settlement.trade_journal SET actor_id = order_id WHERE position = 1", 1 },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task Tampering_is_detected_at_the_entry_it_touched(string what, string sql, long brokenAt)
    {
        _ = what;
        var verification = await VerifyAfterAsync(sql);
        Assert.False(verification.Ok);
        Assert.Equal(brokenAt, verification.BrokenAt);
        Assert.Equal(brokenAt - 1, verification.VerifiedThrough);
        Assert.NotNull(verification.Problem);
        await AssertSameSplitAsync(verification);
    }

    [Fact]
    public async Task A_voucher_edited_in_the_database_or_pointing_at_a_rewritten_journal_fails_verification()
    {
        var voucher = (await s.As(buyer, "buyer").GetFromJsonAsync<Voucher>($"/settlement/orders/{completed.Id}/voucher", EmbeddedMarketplace.Json))!;
        await using var connection = await s.M.Get<SettlementDb>().OpenAsync();
        await connection.ExecuteAsync("UPDATE settlement.trade_journal SET hash = @Hash WHERE position = 4", new { Hash = new string('e', 64) });
        var verification = (await s.M.Anonymous().GetFromJsonAsync<VoucherVerification>($"/settlement/vouchers/{voucher.Number}/verification", EmbeddedMarketplace.Json))!;
        Assert.Equal((true, false), (verification.SignatureValid, verification.JournalMatches));

        await connection.ExecuteAsync("UPDATE settlement.vouchers SET payload = REPLACE(payload, '\"amount\":100001', '\"amount\":1') WHERE number = @Number", new { voucher.Number });
        verification = (await s.M.Anonymous().GetFromJsonAsync<VoucherVerification>($"/settlement/vouchers/{voucher.Number}/verification", EmbeddedMarketplace.Json))!;
        Assert.False(verification.SignatureValid);
        await Expect.Problem(await s.M.Anonymous().GetAsync("/settlement/vouchers/TV-2026-0000000000/verification"), HttpStatusCode.NotFound);
    }
}
