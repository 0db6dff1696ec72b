namespace Marketplace.Contracts.Pricing;

/// <summary>How a price plan charges: a one-off licence per term, a subscription per period, metered use, free, or a trial.</summary>
public enum PlanKind
{
    OneOff,
    Subscription,
    Metered,
    Free,
    Trial,
}
