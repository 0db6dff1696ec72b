namespace Marketplace.Contracts.Catalog;

/// <summary>Whose data a product holds (数据分类): public, enterprise or personal data.</summary>
public enum DataSubject
{
    Public = 1,
    Enterprise = 2,
    Personal = 3,
}
