using Marketplace.BuildingBlocks;
using Marketplace.BuildingBlocks.Http;

namespace Marketplace.Pricing.Fees;

/// <summary>
/// Every rounding pricing does, in one place. Amounts are non-negative minor units (fen); products are formed in
/// 128-bit integers, so nothing overflows or loses a digit before the single rounding at the end.
/// <list type="bullet">
/// <item>A rate applied to an amount (fee, tax, a metered unit price per N units) rounds <b>half up</b>: 0.5 fen → 1 fen.</item>
/// <item>A split among holders uses the <b>largest remainder</b> method (<see cref="Money.Split"/>, shared with
/// settlement): each gets the floor of its share, and the fen left over go one each to the largest remainders (ties:
/// the larger share, then the order the holders were given), so the parts always add up to the whole.</item>
/// </list>
/// </summary>
public static class Rounding
{
    public const int BasisPointsPerUnit = 10_000;

    /// <summary>
    /// <paramref name="numerator"/> ÷ <paramref name="denominator"/>, rounded half up; both non-negative. The quotient stays
    /// 128-bit: the caller decides whether it fits an amount (a numerator up to 2¹²⁵ cannot overflow the doubling).
    /// </summary>
    public static Int128 HalfUp(Int128 numerator, long denominator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numerator);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(numerator, Int128.MaxValue / 4);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(denominator);
        return ((numerator * 2) + denominator) / ((Int128)denominator * 2);
    }

    /// <summary>A decimal value rounded half up to whole minor units.</summary>
    public static long HalfUp(decimal value) => checked((long)Math.Round(value, 0, MidpointRounding.AwayFromZero));

    /// <summary><paramref name="bps"/> basis points of <paramref name="amount"/>, rounded half up.</summary>
    public static long BasisPoints(long amount, int bps) => checked((long)HalfUp((Int128)amount * bps, BasisPointsPerUnit));
}
