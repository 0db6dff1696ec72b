using System.Net;
using System.Net.Http.Json;
using Dapper;
using Marketplace.Settlement;
using Marketplace.Settlement.Statements;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Settlement;

/// <summary>Statements (balances and postings, paged and as CSV) and the operator's reconciliation.</summary>
public sealed class StatementTests(SettlementHost host) : IClassFixture<SettlementHost>
{
    private EmbeddedMarketplace M => host.Marketplace;

    [Fact]
    public async Task A_statement_shows_balances_and_pages_through_postings()
    {
        var p = await M.FundedParticipantAsync();
        for (var i = 1; i <= 5; i++)
        {
            await M.DepositAsync(p, i * 100);
        }

        await Expect.Status(
            await M.ClientAs(p, "buyer").PostAsJsonAsync("/settlement/withdrawals", new { amount = 250, currency = "CNY", bankAccount = "acct" }),
            HttpStatusCode.Created);

        var client = M.ClientAs(p, "buyer");
        var first = (await client.GetFromJsonAsync<StatementResponse>($"/settlement/participants/{p}/statement?limit=4", EmbeddedMarketplace.Json))!;
        var balances = Assert.Single(first.Closing);
        Assert.Equal(new Balances("CNY", 1250, 250, 0, 1500), balances);
        Assert.Equal(4, first.Postings.Items.Count);
        Assert.NotNull(first.Postings.Next);

        var rest = (await client.GetFromJsonAsync<StatementResponse>($"/settlement/participants/{p}/statement?limit=4&after={first.Postings.Next}", EmbeddedMarketplace.Json))!;
        var all = first.Postings.Items.Concat(rest.Postings.Items).ToList();
        Assert.Equal(7, all.Count);
        Assert.Null(rest.Postings.Next);
        Assert.Equal([100L, 200, 300, 400, 500], all.Take(5).Select(l => l.Amount));
        Assert.Equal([-250L, 250], all.Skip(5).Select(l => l.Amount).Order());
        Assert.Equal(1250, all.Last(l => l.AccountKind == "Available").BalanceAfter);
    }

    [Fact]
    public async Task The_statement_exports_as_csv_and_filters_by_date()
    {
        var p = await M.FundedParticipantAsync();
        await M.DepositAsync(p, 4_200);
        var response = await M.ClientAs(p, "buyer").GetAsync($"/settlement/participants/{p}/statement?format=csv");
        await Expect.Status(response, HttpStatusCode.OK);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("posted_at,entry_id,entry_kind,account,currency,amount,balance_after", lines[0], StringComparison.Ordinal);
        Assert.Contains(",deposit,Available,CNY,4200,4200,", lines[1], StringComparison.Ordinal);

        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"));
        var empty = (await M.ClientAs(p, "buyer").GetFromJsonAsync<StatementResponse>($"/settlement/participants/{p}/statement?from={future}", EmbeddedMarketplace.Json))!;
        Assert.Empty(empty.Postings.Items);
        Assert.Equal(4_200, Assert.Single(empty.Opening).Available); // a period that starts later opens with what came before
    }

    [Fact]
    public async Task A_periods_statement_opens_and_closes_with_that_periods_balances_which_its_postings_explain()
    {
        var p = await M.FundedParticipantAsync();
        await M.DepositAsync(p, 1_000);
        var start = await PostedAtAsync(p);
        await M.DepositAsync(p, 200);
        await M.DepositAsync(p, 30);
        var end = await PostedAtAsync(p);
        await M.DepositAsync(p, 4);

        // [start, end): the 1,000 posted at 'start' and the 200; the 30 posted at 'end' itself belongs to the next period.
        var period = (await M.ClientAs(p, "buyer").GetFromJsonAsync<StatementResponse>(
            $"/settlement/participants/{p}/statement?from={Uri.EscapeDataString(start.ToString("O"))}&to={Uri.EscapeDataString(end.ToString("O"))}", EmbeddedMarketplace.Json))!;
        var (opening, closing) = (Assert.Single(period.Opening), Assert.Single(period.Closing));
        Assert.Equal(opening.Available + period.Postings.Items.Where(l => l.AccountKind == "Available").Sum(l => l.Amount), closing.Available);
        Assert.Equal(0, opening.Available);
        Assert.Equal(1_200, closing.Available);
        Assert.Equal([1_000L, 200L], period.Postings.Items.Where(l => l.AccountKind == "Available").Select(l => l.Amount));
        Assert.Equal(1_234, Assert.Single((await M.ClientAs(p, "buyer").GetFromJsonAsync<StatementResponse>($"/settlement/participants/{p}/statement", EmbeddedMarketplace.Json))!.Closing).Available);
    }

    /// <summary>When the participant's latest posting was written.</summary>
    private async Task<DateTimeOffset> PostedAtAsync(Guid participant)
    {
        await using var connection = await M.Get<SettlementDb>().OpenAsync();
        return await connection.QuerySingleAsync<DateTimeOffset>(
            "SELECT p.created_at FROM settlement.postings p JOIN settlement.accounts a ON a.id = p.account_id WHERE a.owner_id = @participant ORDER BY p.seq DESC LIMIT 1",
            new { participant });
    }

    [Fact]
    public async Task Nobody_reads_another_participants_statement()
    {
        var p = await M.FundedParticipantAsync(100);
        var other = await M.FundedParticipantAsync();
        await Expect.Problem(await M.ClientAs(other, "buyer").GetAsync($"/settlement/participants/{p}/statement"), HttpStatusCode.NotFound);
        await Expect.Problem(await M.ClientAs(other, "buyer").GetAsync($"/settlement/participants/{p}/statement?format=csv"), HttpStatusCode.NotFound);
        await Expect.Problem(await M.Anonymous().GetAsync($"/settlement/participants/{p}/statement"), HttpStatusCode.Unauthorized);
        await Expect.Problem(await M.ClientAs(p).GetAsync($"/settlement/participants/{p}/statement"), HttpStatusCode.Forbidden);
        await Expect.Status(await M.Operator().GetAsync($"/settlement/participants/{p}/statement"), HttpStatusCode.OK);
        await Expect.Problem(await M.Operator().GetAsync($"/settlement/participants/{Guid.NewGuid()}/statement"), HttpStatusCode.NotFound);
        await Expect.Problem(await M.Operator().GetAsync($"/settlement/participants/{Guid.NewGuid()}/statement?format=csv"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("format=xml", "format")]
    [InlineData("after=zzz", "after")]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    public async Task Bad_statement_query_is_400(string query, string field)
    {
        var p = await M.FundedParticipantAsync();
        await Expect.ValidationProblem(await M.ClientAs(p, "buyer").GetAsync($"/settlement/participants/{p}/statement?{query}"), field);
    }

    [Fact]
    public async Task Reconciliation_is_for_operators_and_reports_a_tampered_balance_without_fixing_it()
    {
        var p = await M.FundedParticipantAsync(1_000);
        await Expect.Problem(await M.ClientAs(p, "provider").GetAsync("/settlement/reconciliation"), HttpStatusCode.Forbidden);
        await Expect.Problem(await M.Anonymous().GetAsync("/settlement/reconciliation"), HttpStatusCode.Unauthorized);

        var clean = (await M.Operator().GetFromJsonAsync<Marketplace.Settlement.Reconciliation.ReconciliationReport>("/settlement/reconciliation", EmbeddedMarketplace.Json))!;
        Assert.True(clean.Balanced, string.Join("; ", clean.Differences));

        var account = await M.AccountAsync(p, "Available");
        await using (var connection = await M.Get<SettlementDb>().OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE settlement.accounts SET balance = balance + 1 WHERE id = @account", new { account });
        }

        try
        {
            var report = (await M.Operator().GetFromJsonAsync<Marketplace.Settlement.Reconciliation.ReconciliationReport>("/settlement/reconciliation", EmbeddedMarketplace.Json))!;
            Assert.False(report.Balanced);
            var difference = Assert.Single(report.Differences, d => string.Equals(d.Subject, account.ToString(), StringComparison.OrdinalIgnoreCase));
            Assert.Equal((1000L, 1001L), (difference.Expected, difference.Actual));
            Assert.Equal(1001, await M.BalanceAsync(p, "Available"));
        }
        finally
        {
            await using var connection = await M.Get<SettlementDb>().OpenAsync();
            await connection.ExecuteAsync("UPDATE settlement.accounts SET balance = balance - 1 WHERE id = @account", new { account });
        }
    }
}
