using System.Text.Json;
using Dapper;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Pricing.Plans;

namespace Marketplace.Pricing.Valuation;

internal static class ValuationStore
{
    private const string Columns = "seq, id, product_id, method, currency, value, inputs, steps, valued_by, valued_at";

    private const string InsertSql = """
        INSERT INTO pricing.valuations (id, product_id, method, currency, value, inputs, steps, valued_by, valued_at)
        VALUES (@Id, @ProductId, @Method, @Currency, @Value, @Inputs, @Steps, @ValuedBy, @ValuedAt)
        """;

    private const string FindSql = $"SELECT {Columns} FROM pricing.valuations WHERE id = @Id";

    private const string ByProductSqlServer = $"SELECT TOP (@Take) {Columns} FROM pricing.valuations WHERE product_id = @ProductId ORDER BY seq DESC";

    private const string ByProductSqlite = $"SELECT {Columns} FROM pricing.valuations WHERE product_id = @ProductId ORDER BY seq DESC LIMIT @Take";

    public static Task InsertAsync(UnitOfWork uow, ValuationResponse v) => uow.ExecuteAsync(InsertSql, new
    {
        v.Id, v.ProductId, Method = v.Method.ToString(), v.Currency, v.Value,
        Inputs = JsonSerializer.Serialize(v.Inputs, PlanTerms.Json), Steps = JsonSerializer.Serialize(v.Steps, PlanTerms.Json), v.ValuedBy, v.ValuedAt,
    });

    public static async Task<ValuationResponse?> FindAsync(PricingDb db, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QuerySingleOrDefaultAsync<Row>(FindSql, new { Id = id }))?.ToResponse();
    }

    public static async Task<IReadOnlyList<ValuationResponse>> ByProductAsync(PricingDb db, Guid productId, int take, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(db.Sql(ByProductSqlServer, ByProductSqlite), new { ProductId = productId, Take = take });
        return [.. rows.Select(r => r.ToResponse())];
    }

    private sealed record Row
    {
        public Guid Id { get; init; }

        public Guid ProductId { get; init; }

        public ValuationMethod Method { get; init; }

        public string Currency { get; init; } = "";

        public long Value { get; init; }

        public string Inputs { get; init; } = "";

        public string Steps { get; init; } = "";

        public Guid ValuedBy { get; init; }

        public DateTimeOffset ValuedAt { get; init; }

        public ValuationResponse ToResponse() => new(
            Id, ProductId, Method, Currency, Value, JsonSerializer.Deserialize<ValuationRequest>(Inputs, PlanTerms.Json)!,
            JsonSerializer.Deserialize<List<Step>>(Steps, PlanTerms.Json)!, ValuedBy, ValuedAt);
    }
}

public sealed record ValuationResponse(
    Guid Id, Guid ProductId, ValuationMethod Method, string Currency, long Value, ValuationRequest Inputs, IReadOnlyList<Step> Steps,
    Guid ValuedBy, DateTimeOffset ValuedAt);

/// <summary>The latest valuation by each method, side by side, and the history newest first.</summary>
public sealed record ValuationComparison(ValuationResponse? Cost, ValuationResponse? Income, ValuationResponse? Market, IReadOnlyList<ValuationResponse> History);
