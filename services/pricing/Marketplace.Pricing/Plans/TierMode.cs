namespace Marketplace.Pricing.Plans;

/// <summary>
/// How metered tiers price a quantity. <b>Graduated</b>: each tier's unit price applies to the units that fall inside
/// it (1,000 calls at 0–500 → 2 fen, 501+ → 1 fen cost 500×2 + 500×1). <b>Volume</b>: the tier the whole quantity
/// reaches prices every unit (1,000 calls → 1,000×1).
/// </summary>
public enum TierMode
{
    Graduated,
    Volume,
}
