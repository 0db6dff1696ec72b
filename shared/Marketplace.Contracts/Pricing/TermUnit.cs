namespace Marketplace.Contracts.Pricing;

/// <summary>The unit a licence term is counted in.</summary>
public enum TermUnit
{
    Day,
    Month,
    Year,
}
