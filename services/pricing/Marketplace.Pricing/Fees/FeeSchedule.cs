using System.Text.Json;
using FluentValidation;
using Marketplace.BuildingBlocks;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Marketplace.Pricing.Plans;

namespace Marketplace.Pricing.Fees;

/// <summary>
/// The exchange's charges, set by operators. The fee on a trade is <see cref="DefaultFeeBps"/> or the most specific
/// matching rule (category and grade, then category, then grade), rounded half up, at least the minimum for the
/// trade's currency, never more than the amount, and nothing on a free trade. VAT on information services
/// (<see cref="VatBps"/>, 6% by default) is charged on the amount and paid by the buyer.
/// </summary>
public sealed record FeeSchedule(
    int? DefaultFeeBps,
    IReadOnlyDictionary<string, long>? MinimumFee,
    IReadOnlyList<FeeRule>? Rules,
    int? VatBps)
{
    /// <summary>Until an operator sets one: 3% with a minimum of ¥1, VAT 6%.</summary>
    public static readonly FeeSchedule Default = new(300, new Dictionary<string, long> { ["CNY"] = 100 }, [], 600);

    public int FeeBpsFor(string category, DataGrade grade)
    {
        var rules = Rules ?? [];
        return (rules.FirstOrDefault(r => r.Category == category && r.Grade == grade)
                ?? rules.FirstOrDefault(r => r.Category == category && r.Grade is null)
                ?? rules.FirstOrDefault(r => r.Category is null && r.Grade == grade))?.FeeBps
            ?? DefaultFeeBps!.Value;
    }

    public long MinimumFor(string currency) => MinimumFee?.GetValueOrDefault(currency) ?? 0;

    public string ToJson() => JsonSerializer.Serialize(this, PlanTerms.Json);

    public static FeeSchedule FromJson(string json) => JsonSerializer.Deserialize<FeeSchedule>(json, PlanTerms.Json)!;
}

/// <summary>A fee for a GB/T 4754 section, a grade, or both.</summary>
public sealed record FeeRule(string? Category, DataGrade? Grade, int? FeeBps);

internal sealed class FeeScheduleValidator : AbstractValidator<FeeSchedule>
{
    public FeeScheduleValidator()
    {
        RuleFor(s => s.DefaultFeeBps).NotNull().InclusiveBetween(0, Rounding.BasisPointsPerUnit);
        RuleFor(s => s.VatBps).NotNull().InclusiveBetween(0, Rounding.BasisPointsPerUnit);
        RuleFor(s => s.MinimumFee).Must(m => m is null || m.Count <= 20).WithMessage("At most 20 currencies.");
        RuleForEach(s => s.MinimumFee).ChildRules(minimum =>
        {
            minimum.RuleFor(m => m.Key).Matches("^[A-Z]{3}$").WithMessage("Currency must be an ISO 4217 code such as CNY.");
            minimum.RuleFor(m => m.Value).InclusiveBetween(0, Money.MaxAmount);
        });
        RuleFor(s => s.Rules).Must(r => r is null || r.Count <= 200).WithMessage("At most 200 rules.");
        RuleForEach(s => s.Rules).ChildRules(rule =>
        {
            rule.RuleFor(r => r.Category).Matches("^[A-T]$").WithMessage("A GB/T 4754 section letter, A to T.");
            rule.RuleFor(r => r.Grade).IsInEnum().NotEqual(DataGrade.Core).WithMessage("Core data is never traded.");
            rule.RuleFor(r => r).Must(r => r.Category is not null || r.Grade is not null).WithName("rule")
                .WithMessage("A rule names a category, a grade or both.");
            rule.RuleFor(r => r.FeeBps).NotNull().InclusiveBetween(0, Rounding.BasisPointsPerUnit);
        });
        RuleFor(s => s.Rules).Must(r => r is null || r.DistinctBy(x => (x.Category, x.Grade)).Count() == r.Count)
            .WithMessage("Each category and grade pair may have one rule only.");
    }
}
