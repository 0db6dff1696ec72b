namespace Marketplace.Contracts.Catalog;

/// <summary>The data's grade (数据分级, GB/T 43697): core data is never registered or traded.</summary>
public enum DataGrade
{
    General = 1,
    Important = 2,
    Core = 3,
}
