using Marketplace.Pricing.Comparables;
using static Marketplace.Pricing.Valuation.Format;

namespace Marketplace.Pricing.Valuation;

/// <summary>
/// The market method: each comparable settled trade's amount × quality × volume × date factor, where the date factor
/// is 1 + annual price change × (days since the trade ÷ 365); the value is the mean of the adjusted amounts.
/// </summary>
public static class MarketMethod
{
    public const int MaxComparables = 100;

    public static ValuationResult Value(MarketInputs inputs, IReadOnlyList<Comparable> comparables, DateTimeOffset now)
    {
        decimal q = inputs.QualityFactor ?? 1, v = inputs.VolumeFactor ?? 1;
        var change = (inputs.AnnualPriceChangeBps ?? 0) / 10_000m;
        var steps = new List<Step>();
        var sum = 0m;
        foreach (var trade in comparables)
        {
            var days = (int)(now - trade.SettledAt).TotalDays;
            var dateFactor = 1 + (change * days / 365);
            var adjusted = trade.Amount * q * v * dateFactor;
            sum += adjusted;
            steps.Add(new Step(
                $"comparable {trade.OrderId} ({trade.SettledAt:yyyy-MM-dd})",
                $"{trade.Amount} × quality {Num(q)} × volume {Num(v)} × date (1 + {Num(change)} × {days}/365)",
                adjusted));
        }

        var mean = sum / comparables.Count;
        steps.Add(new Step("value", $"mean of {comparables.Count} adjusted comparables", mean));
        return new ValuationResult(steps, mean);
    }
}
