using FluentValidation;
using Marketplace.BuildingBlocks;
using Marketplace.BuildingBlocks.Http;

namespace Marketplace.Pricing.Valuation;

/// <summary>
/// A valuation of a data product by one of the three methods of the 2023 data-asset valuation guidance
/// (数据资产评估指导意见): the inputs of that method only.
/// </summary>
public sealed record ValuationRequest(ValuationMethod? Method, string? Currency, CostInputs? Cost, IncomeInputs? Income, MarketInputs? Market);

public enum ValuationMethod
{
    Cost,
    Income,
    Market,
}

public enum CostCategory
{
    Planning,
    Acquisition,
    Processing,
    Storage,
    Compliance,
    Labour,
    Indirect,
    Other,
}

/// <summary>Historical costs by category, a reasonable profit rate, and value-adjustment factors (1 = no adjustment).</summary>
public sealed record CostInputs(
    IReadOnlyList<CostItem>? Items, int? ProfitRateBps, decimal? QualityFactor, decimal? TimelinessFactor, decimal? ScarcityFactor);

public sealed record CostItem(CostCategory? Category, long? Amount, string? Note);

/// <summary>Projected net cash flows per period (minor units), the data's contribution share, the discount rate per period, and how many periods count.</summary>
public sealed record IncomeInputs(IReadOnlyList<long>? CashFlows, int? ContributionShareBps, int? DiscountRateBps, int? Periods);

/// <summary>
/// Comparables are the exchange's settled trades in the product's category and the valuation's currency over the last
/// <see cref="LookbackDays"/>; each is adjusted for quality and volume (target relative to the comparables) and for
/// its date (a linear annual price change).
/// </summary>
public sealed record MarketInputs(int? LookbackDays, decimal? QualityFactor, decimal? VolumeFactor, int? AnnualPriceChangeBps);

internal sealed class ValuationRequestValidator : AbstractValidator<ValuationRequest>
{
    public ValuationRequestValidator()
    {
        RuleFor(r => r.Method).NotNull().IsInEnum();
        RuleFor(r => r.Currency).ValidCurrency().When(r => r.Currency is not null);
        RuleFor(r => r.Cost).NotNull().When(r => r.Method == ValuationMethod.Cost);
        RuleFor(r => r.Income).NotNull().When(r => r.Method == ValuationMethod.Income);
        RuleFor(r => r.Market).NotNull().When(r => r.Method == ValuationMethod.Market);
        RuleFor(r => r.Cost).Null().When(r => r.Method != ValuationMethod.Cost).WithMessage("Only the chosen method's inputs are given.");
        RuleFor(r => r.Income).Null().When(r => r.Method != ValuationMethod.Income).WithMessage("Only the chosen method's inputs are given.");
        RuleFor(r => r.Market).Null().When(r => r.Method != ValuationMethod.Market).WithMessage("Only the chosen method's inputs are given.");

        RuleFor(r => r.Cost!.Items).NotEmpty().Must(i => i is null || i.Count <= 50).WithMessage("1 to 50 cost items.").When(r => r.Cost is not null);
        RuleForEach(r => r.Cost!.Items).ChildRules(item =>
        {
            item.RuleFor(i => i.Category).NotNull().IsInEnum();
            item.RuleFor(i => i.Amount).NotNull().InclusiveBetween(0, Money.MaxAmount);
            item.RuleFor(i => i.Note).MaximumLength(200);
        }).When(r => r.Cost?.Items is not null);
        RuleFor(r => r.Cost!.ProfitRateBps).NotNull().InclusiveBetween(0, 10_000).When(r => r.Cost is not null);
        Factor(r => r.Cost!.QualityFactor, r => r.Cost is not null);
        Factor(r => r.Cost!.TimelinessFactor, r => r.Cost is not null);
        Factor(r => r.Cost!.ScarcityFactor, r => r.Cost is not null);

        RuleFor(r => r.Income!.CashFlows).NotEmpty().Must(c => c is null || c.Count <= 50).WithMessage("1 to 50 periods of cash flow.").When(r => r.Income is not null);
        RuleForEach(r => r.Income!.CashFlows).InclusiveBetween(-Money.MaxAmount, Money.MaxAmount).When(r => r.Income?.CashFlows is not null);
        RuleFor(r => r.Income!.ContributionShareBps).NotNull().InclusiveBetween(1, 10_000).When(r => r.Income is not null);
        RuleFor(r => r.Income!.DiscountRateBps).NotNull().InclusiveBetween(0, 10_000).When(r => r.Income is not null);
        RuleFor(r => r.Income!.Periods).InclusiveBetween(1, 50)
            .Must((r, p) => p is null || p <= (r.Income!.CashFlows?.Count ?? 0)).WithMessage("Cannot count more periods than there are cash flows.")
            .When(r => r.Income is not null);

        RuleFor(r => r.Market!.LookbackDays).InclusiveBetween(1, 3650).When(r => r.Market is not null);
        RuleFor(r => r.Market!.AnnualPriceChangeBps).InclusiveBetween(-5_000, 10_000).When(r => r.Market is not null);
        Factor(r => r.Market!.QualityFactor, r => r.Market is not null);
        Factor(r => r.Market!.VolumeFactor, r => r.Market is not null);
    }

    /// <summary>An adjustment factor: 0.1 to 10, at most four decimals; absent means 1.</summary>
    private void Factor(System.Linq.Expressions.Expression<Func<ValuationRequest, decimal?>> factor, Func<ValuationRequest, bool> when) =>
        RuleFor(factor).InclusiveBetween(0.1m, 10m).PrecisionScale(6, 4, ignoreTrailingZeros: true).When(when);
}
