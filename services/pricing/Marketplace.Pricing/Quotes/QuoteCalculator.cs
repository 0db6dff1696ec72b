using Marketplace.BuildingBlocks;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Pricing;
using Marketplace.Contracts.Rights;
using Marketplace.Pricing.Fees;
using Marketplace.Pricing.Plans;

namespace Marketplace.Pricing.Quotes;

/// <summary>
/// Prices a quantity under a plan and a fee schedule. The buyer pays <c>total = amount + tax</c> (VAT on the amount);
/// the exchange's fee comes out of the holders' proceeds (settlement splits <c>amount − fee</c> among them by their
/// shares), so one balanced settlement entry moves <c>total</c> out of escrow into the holders' payables, fee revenue
/// and tax payable. See <see cref="Rounding"/> for every rounding.
/// </summary>
public static class QuoteCalculator
{
    public static PricedOrRefusal Price(
        PlanTerms terms, long quantity, FeeSchedule fees, string category, DataGrade grade)
    {
        var charged = terms.Charge(quantity);
        if (charged.Refusal is not null)
        {
            return new PricedOrRefusal(null, charged.Refusal);
        }

        var price = charged.Price!;
        var amount = price.Amount;
        var feeBps = fees.FeeBpsFor(category, grade);
        var fee = amount == 0 ? 0 : Math.Min(amount, Math.Max(fees.MinimumFor(terms.Currency!), Rounding.BasisPoints(amount, feeBps)));
        var vatBps = fees.VatBps!.Value;
        var tax = Rounding.BasisPoints(amount, vatBps);
        if (amount + tax > Money.MaxAmount)
        {
            // Cannot overflow (tax ≤ amount ≤ MaxAmount); the buyer's total is held in one leg, bounded like every amount.
            return new PricedOrRefusal(null, new Refusal(
                "amount-too-large", $"With tax the buyer would pay {amount + tax} minor units, more than the {Money.MaxAmount} a trade may move."));
        }

        return new PricedOrRefusal(new Priced(amount, feeBps, fee, vatBps, tax, amount + tax, price.TermUnit, price.TermLength), null);
    }
}

public sealed record Priced(
    long Amount, int FeeBps, long ExchangeFee, int VatBps, long Tax, long Total, TermUnit TermUnit, int TermLength);

public sealed record PricedOrRefusal(Priced? Priced, Refusal? Refusal);
