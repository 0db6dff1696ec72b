using Dapper;

namespace Marketplace.Pricing.Comparables;

/// <summary>Settled trades in a category and currency over a period, newest first, for valuation and guidance; trades refunded in full are not prices the market paid and are left out.</summary>
public static class ComparableTrades
{
    private const string Filter = """
        WHERE category = @Category AND currency = @Currency AND settled_at >= @From AND settled_at < @To
          AND NOT EXISTS (SELECT 1 FROM pricing.refunded_trades r WHERE r.order_id = pricing.settled_trades.order_id)
        ORDER BY settled_at DESC, seq DESC
        """;

    private const string SqlServer = $"SELECT TOP (@Take) order_id, product_id, quantity, amount, settled_at FROM pricing.settled_trades {Filter}";

    private const string Sqlite = $"SELECT order_id, product_id, quantity, amount, settled_at FROM pricing.settled_trades {Filter} LIMIT @Take";

    public static async Task<IReadOnlyList<Comparable>> FindAsync(
        PricingDb db, string category, string currency, DateTimeOffset from, DateTimeOffset to, int take, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Comparable>(db.Sql(SqlServer, Sqlite), new
        {
            Category = category, Currency = currency, From = from.ToUniversalTime(), To = to.ToUniversalTime(), Take = take,
        })).AsList();
    }
}

public sealed record Comparable
{
    public Guid OrderId { get; init; }

    public Guid ProductId { get; init; }

    public long Quantity { get; init; }

    public long Amount { get; init; }

    public DateTimeOffset SettledAt { get; init; }
}
