using static Marketplace.Pricing.Valuation.Format;

namespace Marketplace.Pricing.Valuation;

/// <summary>
/// The cost method: value = total historical cost × (1 + profit rate) × quality × timeliness × scarcity. Costs are
/// summed per category first, so the working shows where the cost lies.
/// </summary>
public static class CostMethod
{
    public static ValuationResult Value(CostInputs inputs)
    {
        var steps = new List<Step>();
        foreach (var group in inputs.Items!.GroupBy(i => i.Category!.Value).OrderBy(g => g.Key))
        {
            var sum = group.Sum(i => (decimal)i.Amount!.Value);
            steps.Add(new Step($"cost: {group.Key.ToString().ToLowerInvariant()}", string.Join(" + ", group.Select(i => i.Amount)), sum));
        }

        var total = inputs.Items!.Sum(i => (decimal)i.Amount!.Value);
        steps.Add(new Step("total cost", "sum of the costs above", total));
        var rate = inputs.ProfitRateBps!.Value / 10_000m;
        var withProfit = total * (1 + rate);
        steps.Add(new Step("cost with reasonable profit", $"{Num(total)} × (1 + {Num(rate)})", withProfit));
        decimal q = inputs.QualityFactor ?? 1, t = inputs.TimelinessFactor ?? 1, s = inputs.ScarcityFactor ?? 1;
        var adjustment = q * t * s;
        steps.Add(new Step("value adjustment factor", $"quality {Num(q)} × timeliness {Num(t)} × scarcity {Num(s)}", adjustment));
        var value = withProfit * adjustment;
        steps.Add(new Step("value", $"{Num(withProfit)} × {Num(adjustment)}", value));
        return new ValuationResult(steps, value);
    }
}
