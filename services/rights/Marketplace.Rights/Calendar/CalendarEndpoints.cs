using System.Security.Claims;
using FluentValidation;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Rights.Calendar;

/// <summary>
/// <c>GET /rights/calendar/{year}</c> (anyone admitted) and <c>PUT /rights/calendar/{year}</c> (operator): the year's
/// public holidays and worked weekend days, replaced as a whole; public notices opened afterwards count by it.
/// </summary>
internal static class CalendarEndpoints
{
    public static void MapCalendar(this RouteGroupBuilder api)
    {
        api.MapGet("/calendar/{year:int}", Get).RequireAuthorization(Roles.AnyParticipant).WithName("GetWorkingCalendar");
        api.MapPut("/calendar/{year:int}", Set).RequireAuthorization(Roles.Operator).WithName("SetWorkingCalendar").ProducesValidationProblem();
    }

    private static async Task<Ok<CalendarYear>> Get(int year, RightsDb db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var days = await CalendarStore.YearAsync(connection, db, year);
        return TypedResults.Ok(new CalendarYear(
            [.. days.Where(d => d.Kind == CalendarStore.Holiday).Select(d => DateOnly.Parse(d.Day, System.Globalization.CultureInfo.InvariantCulture))],
            [.. days.Where(d => d.Kind == CalendarStore.WorkingDay).Select(d => DateOnly.Parse(d.Day, System.Globalization.CultureInfo.InvariantCulture))]));
    }

    private static async Task<Results<Ok<CalendarYear>, ValidationProblem>> Set(
        int year, CalendarYear calendar, ClaimsPrincipal user, GroupCommitter<RightsDb> committer, TimeProvider time, CancellationToken ct)
    {
        var all = (calendar.Holidays ?? []).Concat(calendar.WorkingWeekendDays ?? []).ToList();
        if (year is < 2000 or > 2100 || all.Any(d => d.Year != year))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["year"] = [$"Every day must fall in {year} (2000–2100)."] });
        }

        return await committer.RunAsync<Results<Ok<CalendarYear>, ValidationProblem>>(
            async uow =>
            {
                await CalendarStore.ReplaceYearAsync(
                    uow, year,
                    (calendar.Holidays ?? []).Select(d => (d, CalendarStore.Holiday)).Concat((calendar.WorkingWeekendDays ?? []).Select(d => (d, CalendarStore.WorkingDay))),
                    user.ParticipantId()!.Value, time.GetUtcNow());
                return TypedResults.Ok(calendar with { Holidays = calendar.Holidays ?? [], WorkingWeekendDays = calendar.WorkingWeekendDays ?? [] });
            },
            ct);
    }
}

public sealed record CalendarYear(IReadOnlyList<DateOnly>? Holidays, IReadOnlyList<DateOnly>? WorkingWeekendDays);

internal sealed class CalendarYearValidator : AbstractValidator<CalendarYear>
{
    public CalendarYearValidator()
    {
        RuleFor(c => c.Holidays).Must(h => h is null || h.Count <= 60).WithMessage("At most 60 holidays a year.");
        RuleFor(c => c.WorkingWeekendDays).Must(w => w is null || w.Count <= 30).WithMessage("At most 30 worked weekend days a year.");
        RuleFor(c => c.WorkingWeekendDays).Must(w => w is null || w.All(d => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday))
            .WithMessage("A worked weekend day falls on a Saturday or Sunday.");
        RuleFor(c => c).Must(c => !(c.Holidays ?? []).Intersect(c.WorkingWeekendDays ?? []).Any()).WithName("holidays")
            .WithMessage("A day cannot be both a holiday and a working day.");
        RuleFor(c => c.Holidays).Must(h => h is null || h.Distinct().Count() == h.Count).WithMessage("Days must not repeat.");
    }
}
