namespace Marketplace.Contracts.Catalog;

/// <summary>A buyer's grade: only a qualified buyer may trade important data.</summary>
public enum QualificationLevel
{
    Basic = 1,
    Qualified = 2,
}
