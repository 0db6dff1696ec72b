using Marketplace.Pricing.Comparables;
using Marketplace.Pricing.Valuation;

namespace Marketplace.Tests.Pricing;

/// <summary>Each valuation method against an example worked by hand here.</summary>
public sealed class ValuationMethodTests
{
    [Fact]
    public void Cost_method_sums_costs_adds_profit_and_applies_the_adjustment_factors()
    {
        // 300,000 + 150,000 + 50,000 + 100,000 = 600,000 fen; × 1.15 = 690,000; × (1.1 × 0.95 × 1.2 = 1.254) = 865,260.
        var result = CostMethod.Value(new CostInputs(
            [
                new CostItem(CostCategory.Acquisition, 200_000, "采购"), new CostItem(CostCategory.Acquisition, 100_000, null),
                new CostItem(CostCategory.Processing, 150_000, null), new CostItem(CostCategory.Storage, 50_000, null),
                new CostItem(CostCategory.Compliance, 100_000, "合规评估"),
            ],
            1_500, 1.1m, 0.95m, 1.2m));

        Assert.Equal(865_260, result.Value);
        Assert.Equal(300_000m, result.Steps.Single(s => s.Name == "cost: acquisition").Value);
        Assert.Equal(600_000m, result.Steps.Single(s => s.Name == "total cost").Value);
        Assert.Equal(690_000m, result.Steps.Single(s => s.Name == "cost with reasonable profit").Value);
        Assert.Equal(1.254m, result.Steps.Single(s => s.Name == "value adjustment factor").Value);
    }

    [Fact]
    public void Cost_method_without_factors_is_cost_plus_profit()
    {
        // 1,001 fen × 1.0333 = 1,034.3333 → 1,034.
        Assert.Equal(1_034, CostMethod.Value(new CostInputs([new CostItem(CostCategory.Other, 1_001, null)], 333, null, null, null)).Value);
    }

    [Fact]
    public void Income_method_discounts_the_datas_share_of_each_periods_cash_flow()
    {
        // 30% of 1,000,000 / 1.1 = 272,727.27; 30% of 1,200,000 / 1.21 = 297,520.66; 30% of 1,500,000 / 1.331 = 338,091.66.
        var inputs = new IncomeInputs([1_000_000, 1_200_000, 1_500_000], 3_000, 1_000, null);
        var result = IncomeMethod.Value(inputs);
        Assert.Equal(908_340, result.Value); // 908,339.59 rounds up
        Assert.Equal(["period 1", "period 2", "period 3", "value"], result.Steps.Select(s => s.Name));
        Assert.Equal(272_727.27m, Math.Round(result.Steps[0].Value, 2));
        Assert.Equal(570_248, IncomeMethod.Value(inputs with { Periods = 2 }).Value); // 570,247.93
        Assert.Equal(300_000, IncomeMethod.Value(new IncomeInputs([300_000], 10_000, 0, null)).Value);
    }

    [Fact]
    public void Market_method_adjusts_each_comparable_and_takes_the_mean()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        Comparable[] comparables =
        [
            new() { OrderId = Guid.NewGuid(), Amount = 100_000, Quantity = 1, SettledAt = now },
            new() { OrderId = Guid.NewGuid(), Amount = 120_000, Quantity = 1, SettledAt = now.AddDays(-365) },
        ];

        // 100,000 × 1.2 × 0.9 × 1 = 108,000; 120,000 × 1.2 × 0.9 × (1 + 0.1 × 365/365) = 142,560; mean 125,280.
        var result = MarketMethod.Value(new MarketInputs(365, 1.2m, 0.9m, 1_000), comparables, now);
        Assert.Equal(125_280, result.Value);
        Assert.Equal([108_000m, 142_560m], result.Steps.Take(2).Select(s => s.Value));

        // Half a year back at −20% a year: 120,000 × (1 − 0.2 × 182/365) = 108,032.88…; mean with 100,000 → 104,016.44 → 104,016.
        comparables[1] = comparables[1] with { SettledAt = now.AddDays(-182) };
        Assert.Equal(104_016, MarketMethod.Value(new MarketInputs(null, null, null, -2_000), comparables, now).Value);
    }
}
