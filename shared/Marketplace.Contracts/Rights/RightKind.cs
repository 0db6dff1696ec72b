namespace Marketplace.Contracts.Rights;

/// <summary>
/// The three separated data rights (数据产权结构性分置): holding the data resource (持有权), processing and using it
/// (加工使用权), operating — selling — the data product (经营权). Only a holder of the operating right may sell.
/// </summary>
public enum RightKind
{
    Holding = 1,
    Processing = 2,
    Operating = 3,
}
