namespace Marketplace.Contracts.Catalog;

/// <summary>Where a participant is registered; cross-border rules depend on it.</summary>
public enum Jurisdiction
{
    /// <summary>Registered in mainland China; identified by its unified social credit code.</summary>
    Mainland = 1,

    /// <summary>Registered outside the mainland (including Hong Kong, Macao and Taiwan).</summary>
    Outside = 2,
}
