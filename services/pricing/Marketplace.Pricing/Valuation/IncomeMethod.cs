using static Marketplace.Pricing.Valuation.Format;

namespace Marketplace.Pricing.Valuation;

/// <summary>
/// The income method: value = Σ over periods t = 1..n of (cash flow_t × contribution share) ÷ (1 + r)^t, the data's
/// share of each period's projected net cash flow discounted to today.
/// </summary>
public static class IncomeMethod
{
    public static ValuationResult Value(IncomeInputs inputs)
    {
        var steps = new List<Step>();
        var share = inputs.ContributionShareBps!.Value / 10_000m;
        var rate = inputs.DiscountRateBps!.Value / 10_000m;
        var periods = inputs.Periods ?? inputs.CashFlows!.Count;
        var discount = 1m;
        var total = 0m;
        for (var t = 1; t <= periods; t++)
        {
            discount *= 1 + rate;
            var flow = inputs.CashFlows![t - 1];
            var present = flow * share / discount;
            total += present;
            steps.Add(new Step($"period {t}", $"{flow} × {Num(share)} ÷ (1 + {Num(rate)})^{t}", present));
        }

        steps.Add(new Step("value", $"sum of the {periods} discounted periods", total));
        return new ValuationResult(steps, total);
    }
}
