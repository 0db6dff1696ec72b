namespace Marketplace.Contracts.Catalog;

/// <summary>How a buyer receives the data. Important data allows only the restricted ones (computation, sandbox).</summary>
public enum DeliveryMethod
{
    File = 1,
    Api = 2,
    PrivacyComputation = 3,
    Sandbox = 4,
}
