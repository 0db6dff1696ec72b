using FluentValidation;
using Marketplace.BuildingBlocks;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Pricing;

namespace Marketplace.Pricing.Plans;

/// <summary>
/// The form of a plan: the fields its kind uses are required and in range, the fields it does not use are absent (a
/// stray price on a free plan is a mistake worth a 400, not something to ignore).
/// </summary>
internal sealed class PlanTermsValidator : AbstractValidator<PlanTerms>
{
    public PlanTermsValidator()
    {
        RuleFor(p => p.Kind).NotNull().IsInEnum();
        RuleFor(p => p.Name).NotEmpty().MaximumLength(100);
        RuleFor(p => p.Currency).ValidCurrency().When(p => p.Currency is not null);

        When(p => p.Kind is PlanKind.OneOff, () =>
        {
            RuleFor(p => p.Price).ValidAmount();
            RuleFor(p => p.TermDays).NotNull().InclusiveBetween(1, 3650);
        });
        When(p => p.Kind is PlanKind.Subscription, () =>
        {
            RuleFor(p => p.Price).ValidAmount();
            RuleFor(p => p.Period).NotNull().Must(u => u is TermUnit.Month or TermUnit.Year).WithMessage("A subscription is priced per month or per year.");
            RuleFor(p => p.MaxPeriods).NotNull().InclusiveBetween(1, 120);
        });
        When(p => p.Kind is PlanKind.Metered, () =>
        {
            RuleFor(p => p.Unit).NotNull().IsInEnum();
            RuleFor(p => p.TierMode).IsInEnum();
            RuleFor(p => p.Per).InclusiveBetween(1, 1_000_000);
            RuleFor(p => p.MonthlyMinimum).InclusiveBetween(0, Money.MaxAmount);
            RuleFor(p => p.Tiers).NotEmpty().Must(t => t is null || t.Count <= 10).WithMessage("At most 10 tiers.");
            RuleForEach(p => p.Tiers).ChildRules(tier =>
            {
                tier.RuleFor(t => t.UnitPrice).NotNull().InclusiveBetween(0, Money.MaxAmount);
                tier.RuleFor(t => t.UpTo).InclusiveBetween(1, PlanTerms.MaxUnits);
            });
            RuleFor(p => p.Tiers).Must(AscendingAndOpenOnlyAtTheEnd).When(p => p.Tiers is { Count: > 0 })
                .WithMessage("Tiers must rise strictly by their upper bound; only the last may be open (no upTo).");
            RuleFor(p => p.Tiers).Must((plan, _) => plan.Normalised().MaxCharge <= long.MaxValue).When(Chargeable)
                .WithMessage(plan => $"At its largest quantity ({plan.Normalised().MaxQuantity} units) the plan would charge {plan.Normalised().MaxCharge} minor units, "
                    + $"more than an amount can hold ({long.MaxValue}); bound the last tier or lower its price.");
        });
        When(p => p.Kind is PlanKind.Free, () => RuleFor(p => p.TermDays).NotNull().InclusiveBetween(1, 3650));
        When(p => p.Kind is PlanKind.Trial, () => RuleFor(p => p.TermDays).NotNull().InclusiveBetween(1, 90));

        RuleFor(p => p.Price).Null().When(p => p.Kind is PlanKind.Metered or PlanKind.Free or PlanKind.Trial).WithMessage(NotUsed);
        RuleFor(p => p.TermDays).Null().When(p => p.Kind is PlanKind.Subscription or PlanKind.Metered).WithMessage(NotUsed);
        RuleFor(p => p.Period).Null().When(p => p.Kind is not PlanKind.Subscription).WithMessage(NotUsed);
        RuleFor(p => p.MaxPeriods).Null().When(p => p.Kind is not PlanKind.Subscription).WithMessage(NotUsed);
        RuleFor(p => p.Unit).Null().When(p => p.Kind is not PlanKind.Metered).WithMessage(NotUsed);
        RuleFor(p => p.TierMode).Null().When(p => p.Kind is not PlanKind.Metered).WithMessage(NotUsed);
        RuleFor(p => p.Per).Null().When(p => p.Kind is not PlanKind.Metered).WithMessage(NotUsed);
        RuleFor(p => p.Tiers).Null().When(p => p.Kind is not PlanKind.Metered).WithMessage(NotUsed);
        RuleFor(p => p.MonthlyMinimum).Null().When(p => p.Kind is not PlanKind.Metered).WithMessage(NotUsed);
    }

    /// <summary>Whether the metered terms are complete enough to price (the other rules report what is missing).</summary>
    private static bool Chargeable(PlanTerms plan) =>
        plan.Tiers is { Count: > 0 and <= 10 } tiers && tiers.All(t => t?.UnitPrice is >= 0 and <= Money.MaxAmount && t.UpTo is null or (>= 1 and <= PlanTerms.MaxUnits))
        && AscendingAndOpenOnlyAtTheEnd(tiers) && plan.Per is null or (>= 1 and <= 1_000_000) && plan.MonthlyMinimum is null or (>= 0 and <= Money.MaxAmount);

    private static string NotUsed(PlanTerms plan) => $"Not used by a {plan.Kind} plan; leave it out.";

    private static bool AscendingAndOpenOnlyAtTheEnd(IReadOnlyList<Tier>? tiers)
    {
        for (var i = 0; i < tiers!.Count; i++)
        {
            if (tiers[i].UpTo is null && i < tiers.Count - 1)
            {
                return false;
            }

            if (i > 0 && tiers[i].UpTo is { } top && top <= tiers[i - 1].UpTo)
            {
                return false;
            }
        }

        return true;
    }
}
