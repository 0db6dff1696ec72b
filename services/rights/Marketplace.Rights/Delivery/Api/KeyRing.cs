using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Marketplace.Rights.Delivery.Api;

/// <summary>
/// The Data Protection key ring (the keys that encrypt providers' upstream credentials) kept in the rights database, so
/// every rights instance — and every restart — reads the same ring; Data Protection's own file or EF Core stores would
/// need a shared folder or EF Core. Written by hand because it is two statements. The keys are stored as Data
/// Protection writes them: protect them at rest in Production (<c>ProtectKeysWithCertificate</c>) where the database
/// is not trusted with them. The interface is synchronous; the ring is read and written rarely (at start, on rotation).
/// </summary>
internal sealed class KeyRing(RightsDb db) : IXmlRepository
{
    private const string ListSql = "SELECT xml FROM rights.data_protection_keys ORDER BY seq";

    private const string InsertSql = "INSERT INTO rights.data_protection_keys (friendly_name, xml, created_at) VALUES (@Name, @Xml, @Now)";

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = db.OpenAsync().GetAwaiter().GetResult();
        return [.. connection.Query<string>(ListSql).Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = db.OpenAsync().GetAwaiter().GetResult();
        connection.Execute(InsertSql, new { Name = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting), Now = DateTimeOffset.UtcNow });
    }
}
