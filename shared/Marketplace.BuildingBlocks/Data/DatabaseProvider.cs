namespace Marketplace.BuildingBlocks.Data;

/// <summary>Which engine a service's schema lives on; chosen by configuration (<c>Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}
