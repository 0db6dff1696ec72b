using System.Text.Json;
using System.Text.Json.Serialization;
using Marketplace.BuildingBlocks;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Pricing;
using Marketplace.Pricing.Fees;

namespace Marketplace.Pricing.Plans;

/// <summary>
/// What a price plan charges. Which fields apply depends on <see cref="Kind"/>:
/// <list type="bullet">
/// <item><b>OneOff</b>: <see cref="Price"/> per licence term of <see cref="TermDays"/>; the quantity is the number of terms.</item>
/// <item><b>Subscription</b>: <see cref="Price"/> per <see cref="Period"/> (month or year), for 1 to <see cref="MaxPeriods"/> periods.</item>
/// <item><b>Metered</b>: per <see cref="Unit"/> (call or record) with volume <see cref="Tiers"/>, each unit price per
/// <see cref="Per"/> units; <see cref="TierMode"/> graduated (each tier's price for the units inside it) or volume (the
/// tier the quantity reaches prices every unit); an optional <see cref="MonthlyMinimum"/>; the quantity is the units
/// for a month.</item>
/// <item><b>Free</b> and <b>Trial</b>: no price, a term of <see cref="TermDays"/> (a trial at most 90, once per buyer and product).</item>
/// </list>
/// </summary>
public sealed record PlanTerms(
    PlanKind? Kind,
    string? Name,
    string? Currency,
    long? Price,
    int? TermDays,
    TermUnit? Period,
    int? MaxPeriods,
    MeterUnit? Unit,
    TierMode? TierMode,
    long? Per,
    IReadOnlyList<Tier>? Tiers,
    long? MonthlyMinimum)
{
    public const string DefaultCurrency = "CNY";
    public const int MaxTerms = 100;
    public const long MaxUnits = 1_000_000_000_000;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The plan's entry price in minor units, which catalog shows as "from": 0 for free and trial plans.</summary>
    public long FromPrice => Kind switch
    {
        PlanKind.OneOff or PlanKind.Subscription => Price!.Value,
        PlanKind.Metered => Tiers![0].UnitPrice!.Value,
        _ => 0,
    };

    /// <summary>The terms as stored: defaults filled in (currency CNY, metered per 1 unit, graduated tiers).</summary>
    public PlanTerms Normalised() => this with
    {
        Currency = Currency ?? DefaultCurrency,
        Per = Kind == PlanKind.Metered ? Per ?? 1 : null,
        TierMode = Kind == PlanKind.Metered ? TierMode ?? Plans.TierMode.Graduated : null,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static PlanTerms FromJson(string json) => JsonSerializer.Deserialize<PlanTerms>(json, Json)!;

    /// <summary>The price of <paramref name="quantity"/> under these terms and the licence term it buys, or why it cannot be priced.</summary>
    public PriceOrRefusal Charge(long quantity)
    {
        switch (Kind)
        {
            case PlanKind.OneOff:
                return quantity is < 1 or > MaxTerms
                    ? Refused.Quantity($"A one-off plan sells 1 to {MaxTerms} terms.")
                    : Priced((Int128)Price!.Value * quantity, TermUnit.Day, TermDays!.Value * (int)quantity);
            case PlanKind.Subscription:
                return quantity < 1 || quantity > MaxPeriods
                    ? Refused.Quantity($"This subscription runs 1 to {MaxPeriods} periods.")
                    : Priced((Int128)Price!.Value * quantity, Period!.Value, (int)quantity);
            case PlanKind.Metered:
                return quantity is < 1 or > MaxUnits
                    ? Refused.Quantity($"A metered quote covers 1 to {MaxUnits} units a month.")
                    : Metered(quantity);
            case PlanKind.Free:
            case PlanKind.Trial:
                return quantity != 1
                    ? Refused.Quantity("A free or trial plan is quoted for a quantity of 1.")
                    : Priced(0, TermUnit.Day, TermDays!.Value);
            default:
                throw new InvalidOperationException($"Unknown plan kind {Kind}.");
        }
    }

    /// <summary>The largest quantity these terms can be quoted for (the number of terms, periods or units).</summary>
    public long MaxQuantity => Kind switch
    {
        PlanKind.OneOff => MaxTerms,
        PlanKind.Subscription => MaxPeriods!.Value,
        PlanKind.Metered => Tiers![^1].UpTo ?? MaxUnits,
        _ => 1,
    };

    /// <summary>
    /// What the largest quantity would be charged, exactly (128-bit): a plan is published only if this fits
    /// <see cref="Money.MaxAmount"/>, so every quantity it accepts can be quoted.
    /// </summary>
    public Int128 MaxCharge => Kind switch
    {
        PlanKind.OneOff or PlanKind.Subscription => (Int128)Price!.Value * MaxQuantity,
        PlanKind.Metered => MeteredAmount(MaxQuantity) ?? Int128.MaxValue,
        _ => 0,
    };

    private PriceOrRefusal Metered(long quantity) => MeteredAmount(quantity) is { } amount
        ? Priced(amount, TermUnit.Month, 1)
        : Refused.Quantity($"The plan's tiers end at {Tiers![^1].UpTo} units.");

    /// <summary>The metered amount of <paramref name="quantity"/> units in 128 bits (no unit price or quantity can overflow it); null past the last tier.</summary>
    private Int128? MeteredAmount(long quantity)
    {
        Int128 numerator = 0;
        long below = 0;
        foreach (var tier in Tiers!)
        {
            var top = tier.UpTo ?? long.MaxValue;
            if (TierMode == Plans.TierMode.Volume)
            {
                if (quantity <= top)
                {
                    numerator = (Int128)quantity * tier.UnitPrice!.Value;
                    below = quantity;
                    break;
                }

                continue;
            }

            var inTier = Math.Min(quantity, top) - below;
            numerator += (Int128)inTier * tier.UnitPrice!.Value;
            below += inTier;
            if (quantity <= top)
            {
                break;
            }
        }

        if (below < quantity)
        {
            return null;
        }

        var amount = Rounding.HalfUp(numerator, Per!.Value);
        return amount < (MonthlyMinimum ?? 0) ? MonthlyMinimum!.Value : amount;
    }

    private static PriceOrRefusal Priced(Int128 amount, TermUnit unit, int length) => amount > Money.MaxAmount
        ? new PriceOrRefusal(null, new Refusal("amount-too-large", $"The amount would be {amount} minor units, more than the {Money.MaxAmount} a trade may move."))
        : new PriceOrRefusal(new PlanPrice((long)amount, unit, length), null);

    private static class Refused
    {
        public static PriceOrRefusal Quantity(string message) => new(null, new Refusal("quantity-out-of-range", message));
    }
}

/// <summary>One volume tier: units up to <see cref="UpTo"/> (inclusive; the last tier may be open) at <see cref="UnitPrice"/> per <c>Per</c> units.</summary>
public sealed record Tier(long? UpTo, long? UnitPrice);

public enum MeterUnit
{
    Call,
    Record,
}

/// <summary>What a plan's price comes to for a quantity, and the licence term it buys.</summary>
public sealed record PlanPrice(long Amount, TermUnit TermUnit, int TermLength);

/// <summary>Why something cannot be quoted: a stable code and a message.</summary>
public sealed record Refusal(string Code, string Message);

public sealed record PriceOrRefusal(PlanPrice? Price, Refusal? Refusal);
