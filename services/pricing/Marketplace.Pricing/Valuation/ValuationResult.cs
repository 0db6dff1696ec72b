using System.Globalization;

namespace Marketplace.Pricing.Valuation;

/// <summary>One line of a valuation's working: what was computed, how, and the figure (minor units or a factor).</summary>
public sealed record Step(string Name, string Formula, decimal Value);

/// <summary>
/// A method's answer: every step in order and the exact value; <see cref="Value"/> is it rounded half up to the minor
/// unit at the end only, once <see cref="InRange"/> says it is an amount the exchange can hold.
/// </summary>
public sealed record ValuationResult(IReadOnlyList<Step> Steps, decimal Exact)
{
    public bool InRange => Math.Abs(Exact) <= Marketplace.BuildingBlocks.Money.MaxAmount;

    public long Value => Fees.Rounding.HalfUp(Exact);
}

internal static class Format
{
    public static string Num(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);
}
