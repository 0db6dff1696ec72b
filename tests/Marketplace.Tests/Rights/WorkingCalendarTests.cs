using Marketplace.Rights.Calendar;

namespace Marketplace.Tests.Rights;

/// <summary>Working-day arithmetic: weekends, public holidays, and the weekend days worked in their place (调休).</summary>
public sealed class WorkingCalendarTests
{
    // A National Day week: 1–8 October 2026 off (Thursday to Thursday), Sunday 27 September and Saturday 10 October worked.
    private static readonly WorkingCalendar NationalDay = new(
        Enumerable.Range(1, 8).Select(d => new DateOnly(2026, 10, d)).ToHashSet(),
        new HashSet<DateOnly> { new(2026, 9, 27), new(2026, 10, 10) });

    [Fact]
    public void Holidays_are_skipped_and_worked_weekend_days_count()
    {
        // From Friday 25 September: Sun 27 (1), Mon 28–Wed 30 (2–4), Fri 9 Oct (5), Sat 10 (6), Mon 12–Thu 15 (7–10).
        Assert.Equal(new DateOnly(2026, 10, 15), NationalDay.AddWorkingDays(new DateOnly(2026, 9, 25), 10));
        Assert.Equal(new DateOnly(2026, 10, 9), NationalDay.AddWorkingDays(new DateOnly(2026, 9, 30), 1));
        Assert.False(NationalDay.IsWorkingDay(new DateOnly(2026, 10, 5)));
        Assert.True(NationalDay.IsWorkingDay(new DateOnly(2026, 10, 10)));
        Assert.False(NationalDay.IsWorkingDay(new DateOnly(2026, 10, 11)));
    }

    [Fact]
    public void Without_holidays_ten_working_days_are_two_weeks()
    {
        var plain = new WorkingCalendar(new HashSet<DateOnly>(), new HashSet<DateOnly>());
        Assert.Equal(new DateOnly(2026, 12, 9), plain.AddWorkingDays(new DateOnly(2026, 11, 25), 10));
        Assert.Equal(new DateOnly(2026, 11, 30), plain.AddWorkingDays(new DateOnly(2026, 11, 27), 1)); // Friday → Monday
    }

    [Fact]
    public void A_notice_ends_at_midnight_china_time_after_its_last_working_day()
    {
        var plain = new WorkingCalendar(new HashSet<DateOnly>(), new HashSet<DateOnly>());

        // Wednesday 25 November 09:00 UTC is 17:00 in Beijing: counting starts on Thursday 26; the 10th day is Wednesday
        // 9 December; the notice ends at 00:00 on 10 December, UTC+8 — 16:00 UTC on the 9th.
        Assert.Equal(new DateTimeOffset(2026, 12, 9, 16, 0, 0, TimeSpan.Zero), plain.NoticeEnds(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero), 10));

        // 17:00 UTC on the 25th is already Thursday the 26th in Beijing: counting starts on Friday.
        Assert.Equal(new DateTimeOffset(2026, 12, 10, 16, 0, 0, TimeSpan.Zero), plain.NoticeEnds(new DateTimeOffset(2026, 11, 25, 17, 0, 0, TimeSpan.Zero), 10));
    }
}
