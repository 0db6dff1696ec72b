namespace Marketplace.Rights.Calendar;

/// <summary>
/// Working days as the exchange's operators publish them: Monday to Friday, except public holidays, plus the weekend
/// days officially worked in their place (调休). Notice periods are counted in China Standard Time (UTC+8, no DST).
/// </summary>
public sealed class WorkingCalendar(IReadOnlySet<DateOnly> holidays, IReadOnlySet<DateOnly> workingWeekendDays)
{
    public static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public bool IsWorkingDay(DateOnly day) =>
        workingWeekendDays.Contains(day) || (!holidays.Contains(day) && day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));

    /// <summary>The <paramref name="days"/>th working day after <paramref name="start"/> (not counting <paramref name="start"/>).</summary>
    public DateOnly AddWorkingDays(DateOnly start, int days)
    {
        var day = start;
        for (var counted = 0; counted < days;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                counted++;
            }
        }

        return day;
    }

    /// <summary>
    /// A notice opened at <paramref name="opened"/> runs for <paramref name="days"/> full working days from the next
    /// day, and ends at midnight (UTC+8) after the last of them.
    /// </summary>
    public DateTimeOffset NoticeEnds(DateTimeOffset opened, int days)
    {
        var local = opened.ToOffset(ChinaStandardTime);
        var last = AddWorkingDays(DateOnly.FromDateTime(local.DateTime), days);
        return new DateTimeOffset(last.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaStandardTime).ToUniversalTime();
    }
}
