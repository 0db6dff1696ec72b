using FluentValidation;

namespace Marketplace.BuildingBlocks;

/// <summary>Money on the wire, for every service: a positive amount in minor units (fen for CNY) and an ISO 4217 code.</summary>
public static class Money
{
    /// <summary>The largest single amount accepted (10¹⁵ fen): far above any trade, far below overflow.</summary>
    public const long MaxAmount = 1_000_000_000_000_000;

    public static IRuleBuilderOptions<T, long?> ValidAmount<T>(this IRuleBuilder<T, long?> rule) =>
        rule.NotNull().GreaterThan(0).LessThanOrEqualTo(MaxAmount);

    public static IRuleBuilderOptions<T, string?> ValidCurrency<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().Matches("^[A-Z]{3}$").WithMessage("Currency must be an ISO 4217 code such as CNY.");

    /// <summary>
    /// Splits <paramref name="amount"/> by <paramref name="sharesBps"/> (summing to 10,000) by the largest remainder:
    /// each part is the floor of its share; the minor units left over go one each to the largest remainders (ties: the
    /// larger share, then the order given), so the parts always add up to the whole. Pricing quotes and settlement pays
    /// with this one function.
    /// </summary>
    public static long[] Split(long amount, IReadOnlyList<int> sharesBps)
    {
        if (sharesBps.Sum() != 10_000)
        {
            throw new ArgumentException("Shares must sum to 10,000 basis points.", nameof(sharesBps));
        }

        var parts = new long[sharesBps.Count];
        var remainders = new long[sharesBps.Count];
        var left = amount;
        for (var i = 0; i < parts.Length; i++)
        {
            var exact = (Int128)amount * sharesBps[i];
            parts[i] = (long)(exact / 10_000);
            remainders[i] = (long)(exact % 10_000);
            left -= parts[i];
        }

        var order = Enumerable.Range(0, parts.Length)
            .OrderByDescending(i => remainders[i]).ThenByDescending(i => sharesBps[i]).ThenBy(i => i);
        foreach (var i in order.Take((int)left))
        {
            parts[i]++;
        }

        return parts;
    }
}
