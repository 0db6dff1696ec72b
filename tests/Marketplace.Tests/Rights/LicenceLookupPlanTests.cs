using Dapper;
using Marketplace.Rights;
using Marketplace.Rights.Licences;
using Marketplace.Tests.Catalog;

namespace Marketplace.Tests.Rights;

/// <summary>
/// Exclusivity is checked on every access decision and every licence issued, so its lookups must seek, not walk the
/// product's licences: with thousands sold on one product, a walk made each trade slower than the one before.
/// </summary>
public sealed class LicenceLookupPlanTests(AdmissionTests.Host host) : IClassFixture<AdmissionTests.Host>
{
    [Fact]
    public async Task The_live_exclusive_licence_is_found_by_an_index_seek_on_all_its_terms()
    {
        var plan = await PlanAsync(LicenceStore.LiveExclusiveSql);
        Assert.Contains("INDEX IX_licences_product (product_id=? AND status=? AND exclusive=? AND ends_at>?)", plan);
    }

    [Fact]
    public async Task Any_live_licence_is_found_by_an_index_seek_that_stops_at_the_first()
    {
        var plan = await PlanAsync(LicenceStore.AnyLiveSql);
        Assert.Contains("INDEX IX_licences_product (product_id=? AND status=?", plan);
        Assert.DoesNotContain("SCAN licences", plan);
    }

    private async Task<string> PlanAsync(string sql)
    {
        await using var connection = await host.Marketplace.Get<RightsDb>().OpenAsync();
        var rows = await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            "EXPLAIN QUERY PLAN " + sql, new { ProductId = Guid.NewGuid(), Now = DateTimeOffset.UtcNow });
        return string.Join('\n', rows.Select(r => r.Detail));
    }
}
