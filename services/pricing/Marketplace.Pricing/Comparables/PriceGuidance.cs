using FluentValidation;
using Marketplace.BuildingBlocks;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Pricing.Fees;
using Marketplace.Pricing.Plans;
using Marketplace.Pricing.Products;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Pricing.Comparables;

/// <summary>
/// <c>GET /pricing/products/{productId}/guidance?from=&amp;to=&amp;currency=</c> (anyone admitted): the distribution of
/// settled trade amounts of the product's category over the period (default: the last 365 days) — count, 25th
/// percentile, median, 75th percentile. Percentiles interpolate linearly between the closest ranks (Excel's
/// PERCENTILE.INC) and round half up to the minor unit. At most the newest <see cref="MaxTrades"/> trades count.
/// </summary>
internal static class PriceGuidance
{
    public const int MaxTrades = 10_000;

    public static async Task<Results<Ok<Guidance>, ProblemHttpResult>> Handle(
        Guid productId, [AsParameters] GuidanceQuery query, PricingDb db, TimeProvider time, CancellationToken ct)
    {
        var product = await ProductDirectory.FindAsync(db, productId, ct);
        if (product is null)
        {
            return Problems.NotFound("The product");
        }

        var to = query.To ?? time.GetUtcNow();
        var from = query.From ?? to.AddDays(-365);
        var currency = query.Currency ?? PlanTerms.DefaultCurrency;
        var trades = await ComparableTrades.FindAsync(db, product.Category, currency, from, to, MaxTrades, ct);
        var amounts = trades.Select(t => t.Amount).Order().ToArray();
        return TypedResults.Ok(new Guidance(
            productId, product.Category, currency, from, to, amounts.Length,
            Percentile(amounts, 0.25m), Percentile(amounts, 0.5m), Percentile(amounts, 0.75m)));
    }

    /// <summary>The p-th percentile of sorted values, linear between closest ranks; null when there are none.</summary>
    public static long? Percentile(IReadOnlyList<long> sorted, decimal p)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var h = (sorted.Count - 1) * p;
        var low = (int)Math.Floor(h);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return Rounding.HalfUp(sorted[low] + ((h - low) * (sorted[high] - sorted[low])));
    }
}

public sealed record GuidanceQuery(DateTimeOffset? From, DateTimeOffset? To, string? Currency);

public sealed record Guidance(
    Guid ProductId, string Category, string Currency, DateTimeOffset From, DateTimeOffset To, int Count, long? P25, long? Median, long? P75);

internal sealed class GuidanceQueryValidator : AbstractValidator<GuidanceQuery>
{
    public GuidanceQueryValidator()
    {
        RuleFor(q => q.Currency).ValidCurrency().When(q => q.Currency is not null);
        RuleFor(q => q.To).GreaterThan(q => q.From).When(q => q.From is not null && q.To is not null)
            .WithMessage("'to' must be after 'from'.");
    }
}
