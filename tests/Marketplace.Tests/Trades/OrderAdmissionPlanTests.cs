using Dapper;
using Marketplace.Settlement;
using Marketplace.Settlement.Orders;
using Marketplace.Tests.Catalog;

namespace Marketplace.Tests.Trades;

/// <summary>
/// At capacity the admission gate counts the orders in progress ten times a second, so the count must read only
/// those orders' index entries, not walk every order the exchange ever took.
/// </summary>
public sealed class OrderAdmissionPlanTests(AdmissionTests.Host host) : IClassFixture<AdmissionTests.Host>
{
    [Fact]
    public async Task The_orders_in_progress_are_counted_from_the_status_index()
    {
        await using var connection = await host.Marketplace.Get<SettlementDb>().OpenAsync();
        var plan = string.Join('\n', (await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            "EXPLAIN QUERY PLAN " + OrderStore.InProgressSql)).Select(r => r.Detail));
        Assert.Contains("USING COVERING INDEX IX_orders_status (status=?)", plan);
        Assert.DoesNotContain("SCAN orders", plan);
    }
}
