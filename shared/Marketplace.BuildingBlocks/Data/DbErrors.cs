using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace Marketplace.BuildingBlocks.Data;

/// <summary>Recognises the engine errors handlers turn into answers rather than 500s.</summary>
public static class DbErrors
{
    /// <summary>A unique key or index refused a row (a race that a prior existence check could not see).</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        SqlException sql => sql.Number is 2601 or 2627,
        _ => false,
    };
}
