using CsCheck;
using Marketplace.BuildingBlocks;
using Marketplace.BuildingBlocks.Http;

namespace Marketplace.Tests.Trades;

/// <summary>The split every trade pays by: for any amount and any shares summing to 10,000, the parts add up exactly and each is its share rounded down or up.</summary>
public sealed class SplitPropertyTests
{
    private static readonly Gen<int[]> Shares = Gen.Int[1, 20].SelectMany(n => Gen.Int[1, 1_000].Array[n]).Select(weights =>
    {
        var total = weights.Sum();
        var bps = weights.Select(w => Math.Max(1, w * 10_000 / total)).ToArray();
        var diff = 10_000 - bps.Sum();
        var largest = Array.IndexOf(bps, bps.Max());
        bps[largest] += diff;
        return bps;
    }).Where(bps => bps.All(b => b >= 1));

    [Fact]
    public void Parts_always_sum_to_the_whole_and_stay_within_one_fen_of_the_exact_share() =>
        Gen.Select(Gen.Long[0, Money.MaxAmount], Shares).Sample((amount, shares) =>
        {
            var parts = Money.Split(amount, shares);
            if (parts.Sum() != amount)
            {
                return false;
            }

            return parts.Zip(shares).All(p =>
            {
                var exact = (decimal)amount * p.Second / 10_000m;
                return p.First >= Math.Floor(exact) && p.First <= Math.Floor(exact) + 1;
            });
        }, iter: 20_000);

    [Fact]
    public void Awkward_small_amounts_split_exactly() =>
        Gen.Select(Gen.Long[0, 100], Shares).Sample((amount, shares) => Money.Split(amount, shares).Sum() == amount, iter: 20_000);
}
