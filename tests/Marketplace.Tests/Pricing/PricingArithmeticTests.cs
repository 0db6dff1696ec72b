using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Pricing;
using Marketplace.Contracts.Rights;
using Marketplace.Pricing.Comparables;
using Marketplace.Pricing.Fees;
using Marketplace.Pricing.Plans;
using Marketplace.Pricing.Quotes;

namespace Marketplace.Tests.Pricing;

/// <summary>Tiers at their boundaries, fee minimums and caps, tax and splits on awkward amounts: every figure worked by hand.</summary>
public sealed class PricingArithmeticTests
{

    private static PlanTerms Metered(TierMode mode, long per = 1, long? minimum = null) => new(
        PlanKind.Metered, "API", "CNY", null, null, null, null, MeterUnit.Call, mode, per,
        [new Tier(500, 2), new Tier(1_000, 1), new Tier(null, 0)], minimum);

    private static PlanTerms OneOff(long price) => new(PlanKind.OneOff, "年度授权", "CNY", price, 365, null, null, null, null, null, null, null);

    [Theory]
    [InlineData(1, 2)]
    [InlineData(500, 1_000)]
    [InlineData(501, 1_001)]
    [InlineData(1_000, 1_500)]
    [InlineData(1_001, 1_500)]
    [InlineData(5_000, 1_500)]
    public void Graduated_tiers_price_each_unit_at_the_tier_it_falls_in(long calls, long fen) =>
        Assert.Equal(fen, Metered(TierMode.Graduated).Charge(calls).Price!.Amount);

    [Theory]
    [InlineData(1, 2)]
    [InlineData(500, 1_000)]
    [InlineData(501, 501)]
    [InlineData(1_000, 1_000)]
    [InlineData(1_001, 0)]
    public void Volume_tiers_price_every_unit_at_the_tier_the_quantity_reaches(long calls, long fen) =>
        Assert.Equal(fen, Metered(TierMode.Volume).Charge(calls).Price!.Amount);

    [Theory]
    [InlineData(1, 0)] // 2 fen per 1,000 calls: 0.002 rounds to 0
    [InlineData(250, 1)] // 0.5 rounds half up
    [InlineData(249, 0)] // 0.498
    [InlineData(750, 1)] // 500×2 + 250×1 = 1,250 / 1,000 = 1.25
    public void A_unit_price_per_thousand_calls_rounds_half_up_once_at_the_end(long calls, long fen) =>
        Assert.Equal(fen, Metered(TierMode.Graduated, per: 1_000).Charge(calls).Price!.Amount);

    [Fact]
    public void A_monthly_minimum_lifts_a_small_months_charge_and_leaves_a_large_one()
    {
        Assert.Equal(800, Metered(TierMode.Graduated, minimum: 800).Charge(100).Price!.Amount);
        Assert.Equal(1_200, Metered(TierMode.Graduated, minimum: 800).Charge(700).Price!.Amount);
        Assert.Equal((TermUnit.Month, 1), (Metered(TierMode.Graduated).Charge(1).Price!.TermUnit, Metered(TierMode.Graduated).Charge(1).Price!.TermLength));
    }

    [Fact]
    public void A_quantity_beyond_closed_tiers_or_out_of_a_plans_range_is_refused_with_a_code()
    {
        var closed = new PlanTerms(PlanKind.Metered, "API", "CNY", null, null, null, null, MeterUnit.Record, TierMode.Graduated, 1, [new Tier(100, 5)], null);
        Assert.Equal("quantity-out-of-range", closed.Charge(101).Refusal!.Code);
        Assert.Equal(500, closed.Charge(100).Price!.Amount);
        Assert.Equal("quantity-out-of-range", OneOff(100).Charge(0).Refusal!.Code);
        Assert.Equal("quantity-out-of-range", OneOff(100).Charge(PlanTerms.MaxTerms + 1).Refusal!.Code);
        var subscription = new PlanTerms(PlanKind.Subscription, "月订阅", "CNY", 9_900, null, TermUnit.Month, 12, null, null, null, null, null);
        Assert.Equal("quantity-out-of-range", subscription.Charge(13).Refusal!.Code);
        Assert.Equal((118_800L, TermUnit.Month, 12), (subscription.Charge(12).Price!.Amount, subscription.Charge(12).Price!.TermUnit, subscription.Charge(12).Price!.TermLength));
        Assert.Equal((1_095, TermUnit.Day), (OneOff(100).Charge(3).Price!.TermLength, OneOff(100).Charge(3).Price!.TermUnit));
        Assert.Equal("amount-too-large", OneOff(Marketplace.BuildingBlocks.Money.MaxAmount).Charge(2).Refusal!.Code);
    }

    [Theory]
    [InlineData(1, 0, 1)] // VAT 0.06 → 0; fee 0.03 → 0, lifted to the minimum of 1 fen
    [InlineData(8, 0, 1)] // VAT 0.48 → 0; fee 0.24 → 0 → 1
    [InlineData(9, 1, 1)] // VAT 0.54 → 1; fee 0.27 → 0 → 1
    [InlineData(25, 2, 1)] // VAT 1.5 → 2 (half up); fee 0.75 → 1
    [InlineData(1_000_000, 60_000, 30_000)]
    [InlineData(333_333, 20_000, 10_000)] // 19,999.98 → 20,000; 9,999.99 → 10,000
    public void Tax_rounds_half_up_and_the_fee_has_a_minimum_but_never_exceeds_the_amount(long amount, long tax, long fee)
    {
        var fees = new FeeSchedule(300, new Dictionary<string, long> { ["CNY"] = 1 }, [], 600);
        var priced = QuoteCalculator.Price(OneOff(amount), 1, fees, "I", DataGrade.General).Priced!;
        Assert.Equal((tax, fee, amount + tax), (priced.Tax, priced.ExchangeFee, priced.Total));
    }

    [Fact]
    public void The_fee_minimum_applies_per_currency_and_is_capped_at_the_amount()
    {
        var fees = FeeSchedule.Default; // 3%, minimum ¥1 (100 fen) in CNY
        Assert.Equal(100, QuoteCalculator.Price(OneOff(2_000), 1, fees, "I", DataGrade.General).Priced!.ExchangeFee); // 60 → 100
        Assert.Equal(50, QuoteCalculator.Price(OneOff(50), 1, fees, "I", DataGrade.General).Priced!.ExchangeFee); // capped at 50
        var usd = OneOff(2_000) with { Currency = "USD" };
        Assert.Equal(60, QuoteCalculator.Price(usd, 1, fees, "I", DataGrade.General).Priced!.ExchangeFee);
    }

    [Fact]
    public void A_free_or_trial_trade_costs_nothing_and_pays_no_fee_or_tax()
    {
        var trial = new PlanTerms(PlanKind.Trial, "试用", "CNY", null, 7, null, null, null, null, null, null, null);
        var priced = QuoteCalculator.Price(trial, 1, FeeSchedule.Default, "I", DataGrade.General).Priced!;
        Assert.Equal((0L, 0L, 0L, 0L, 7), (priced.Amount, priced.ExchangeFee, priced.Tax, priced.Total, priced.TermLength));
    }

    [Fact]
    public void The_most_specific_fee_rule_wins()
    {
        var fees = new FeeSchedule(300, null,
            [new FeeRule("I", null, 200), new FeeRule(null, DataGrade.Important, 800), new FeeRule("I", DataGrade.Important, 500)], 600);
        Assert.Equal(500, fees.FeeBpsFor("I", DataGrade.Important));
        Assert.Equal(200, fees.FeeBpsFor("I", DataGrade.General));
        Assert.Equal(800, fees.FeeBpsFor("G", DataGrade.Important));
        Assert.Equal(300, fees.FeeBpsFor("G", DataGrade.General));
    }

    [Fact]
    public void Splits_add_up_to_the_fen_and_give_leftover_fen_to_the_largest_remainders()
    {
        Assert.Equal([34, 33, 33], Marketplace.BuildingBlocks.Money.Split(100, [3_334, 3_333, 3_333]));
        Assert.Equal([0, 1, 0], Marketplace.BuildingBlocks.Money.Split(1, [3_333, 3_334, 3_333]));
        Assert.Equal([2, 1], Marketplace.BuildingBlocks.Money.Split(3, [5_000, 5_000])); // equal remainders: the first given
        Assert.Equal([67, 33], Marketplace.BuildingBlocks.Money.Split(100, [6_667, 3_333]));
        Assert.Equal([7, 0, 0, 0], Marketplace.BuildingBlocks.Money.Split(7, [9_997, 1, 1, 1]));
        Assert.Equal([0, 1, 1, 1], Marketplace.BuildingBlocks.Money.Split(3, [10, 3_330, 3_330, 3_330]));
    }

    [Fact]
    public void Half_up_is_exact_on_halves_and_large_products()
    {
        Assert.Equal(1, Rounding.HalfUp(1, 2));
        Assert.Equal(0, Rounding.HalfUp(1, 3));
        Assert.Equal(2, Rounding.HalfUp(3, 2));
        Assert.Equal(1, Rounding.BasisPoints(1, 5_000));
        Assert.Equal(600_000_000_000_000, Rounding.BasisPoints(Marketplace.BuildingBlocks.Money.MaxAmount * 1, 6_000));
        Assert.Equal(3, Rounding.HalfUp(2.5m));
    }

    [Fact]
    public void Percentiles_interpolate_between_closest_ranks()
    {
        long[] sorted = [100, 200, 300, 400];
        Assert.Equal(175, PriceGuidance.Percentile(sorted, 0.25m)); // h = 0.75 → 100 + 0.75×100
        Assert.Equal(250, PriceGuidance.Percentile(sorted, 0.5m));
        Assert.Equal(325, PriceGuidance.Percentile(sorted, 0.75m));
        Assert.Equal(5, PriceGuidance.Percentile([5], 0.75m));
        Assert.Null(PriceGuidance.Percentile([], 0.5m));
        Assert.Equal(2, PriceGuidance.Percentile([1, 2], 0.5m)); // 1.5 rounds half up
    }
}
