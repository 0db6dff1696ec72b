using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Marketplace.BuildingBlocks.Data;

/// <summary>
/// SQLite has no uniqueidentifier or datetimeoffset type: Microsoft.Data.Sqlite binds a Guid as upper-case text and a
/// DateTimeOffset as <c>yyyy-MM-dd HH:mm:ss.FFFFFFFzzz</c> text, and these handlers read both back. Every instant the
/// services write is UTC (TimeProvider.GetUtcNow), so that text sorts in time order; a caller's instant (a query
/// bound) is turned to UTC before it is compared. Parameters are left to the provider, so whichever way Dapper binds
/// a value, it is written in the one format.
/// </summary>
internal static class SqlTypeHandlers
{
    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1)
        {
            return;
        }

        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new GuidHandler());
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
    }

    private sealed class GuidHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(IDbDataParameter parameter, Guid value)
        {
            if (parameter is not SqliteParameter)
            {
                parameter.DbType = DbType.Guid;
            }

            parameter.Value = value;
        }

        public override Guid Parse(object value) => value switch
        {
            Guid g => g,
            string s => Guid.Parse(s),
            byte[] b => new Guid(b),
            _ => throw new DataException($"Cannot read a Guid from {value.GetType().Name}."),
        };
    }

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            if (parameter is not SqliteParameter)
            {
                parameter.DbType = DbType.DateTimeOffset;
            }

            parameter.Value = value.ToUniversalTime();
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset d => d,
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            _ => throw new DataException($"Cannot read a DateTimeOffset from {value.GetType().Name}."),
        };
    }
}
