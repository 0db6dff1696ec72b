using System.Globalization;

namespace Marketplace.Pricing.Valuation;

/// <summary>One line of a valuation's working: what was computed, how, and the figure (minor units or a factor).</summary>
public sealed record Step(string Name, string Formula, decimal Value);

/// <summary>A method's answer: every step in order and the value, rounded half up to the minor unit at the end only.</summary>
public sealed record ValuationResult(IReadOnlyList<Step> Steps, long Value);

internal static class Format
{
    public static string Num(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);
}
