using System.Globalization;
using Dapper;
using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Rights.Calendar;

/// <summary>The operators' calendar: holidays and worked weekend days, stored one row per day (yyyy-MM-dd).</summary>
internal static class CalendarStore
{
    public const string Holiday = "Holiday";
    public const string WorkingDay = "WorkingDay";

    private const string RangeSqlServer = """
        SELECT CONVERT(char(10), day, 23) AS day, kind FROM rights.calendar_days WHERE day >= @From AND day < @To ORDER BY day
        """;

    private const string RangeSqlite = "SELECT day, kind FROM rights.calendar_days WHERE day >= @From AND day < @To ORDER BY day";

    private const string ClearYearSql = "DELETE FROM rights.calendar_days WHERE day >= @From AND day < @To";

    private const string InsertSql = "INSERT INTO rights.calendar_days (day, kind, set_by, set_at) VALUES (@Day, @Kind, @SetBy, @SetAt)";

    /// <summary>The calendar for the two years from <paramref name="from"/>: long enough for any notice period.</summary>
    public static async Task<WorkingCalendar> LoadAsync(UnitOfWork uow, RightsDb db, DateOnly from)
    {
        var days = (await uow.QueryAsync<CalendarDay>(db.Sql(RangeSqlServer, RangeSqlite), new { From = Text(from), To = Text(from.AddYears(2)) })).AsList();
        return new WorkingCalendar(
            days.Where(d => d.Kind == Holiday).Select(d => Parse(d.Day)).ToHashSet(),
            days.Where(d => d.Kind == WorkingDay).Select(d => Parse(d.Day)).ToHashSet());
    }

    public static async Task<IReadOnlyList<CalendarDay>> YearAsync(System.Data.Common.DbConnection connection, RightsDb db, int year) =>
        (await connection.QueryAsync<CalendarDay>(db.Sql(RangeSqlServer, RangeSqlite), new { From = $"{year:D4}-01-01", To = $"{year + 1:D4}-01-01" })).AsList();

    public static async Task ReplaceYearAsync(UnitOfWork uow, int year, IEnumerable<(DateOnly Day, string Kind)> days, Guid setBy, DateTimeOffset now)
    {
        await uow.ExecuteAsync(ClearYearSql, new { From = $"{year:D4}-01-01", To = $"{year + 1:D4}-01-01" });
        foreach (var (day, kind) in days)
        {
            await uow.ExecuteAsync(InsertSql, new { Day = Text(day), Kind = kind, SetBy = setBy, SetAt = now });
        }
    }

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Parse(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public sealed record CalendarDay
    {
        public string Day { get; init; } = "";

        public string Kind { get; init; } = "";
    }
}
