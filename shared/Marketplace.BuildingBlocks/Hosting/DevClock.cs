using System.Globalization;
using FluentValidation;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.BuildingBlocks.Hosting;

/// <summary>
/// Outside Production the services' <see cref="TimeProvider"/> is this clock: the system's, moved forward by an offset
/// an operator sets through <c>POST /{service}/dev/clock</c>, so a demo can let a public notice or a dispute window
/// run out without waiting for it. Timers keep the system's pace; only "now" moves. Tokens are issued and checked on
/// the wall clock, never on this one. Production registers <see cref="TimeProvider.System"/> and maps no endpoint.
/// The offset is kept beside the data (<c>dev-clock.{application}.offset</c> in <c>Database:SqliteDirectory</c>, one file
/// per process kind), so a restarted process resumes it — certificates issued under a moved clock stay in force after
/// a kill and restart; <c>Dev:ClockOffset</c>, when set, says where a starting process begins instead.
/// </summary>
public sealed class DevClock : TimeProvider
{
    private readonly Lock gate = new();
    private readonly string file;
    private long offsetTicks;

    /// <param name="settings">The <c>Dev</c> section, bound at start.</param>
    /// <param name="dataDirectory">Where the offset is kept: the SQLite data folder (<c>Database:SqliteDirectory</c>).</param>
    public DevClock(DevSettings settings, string dataDirectory, Microsoft.Extensions.Hosting.IHostEnvironment environment)
    {
        file = Path.Combine(dataDirectory, $"dev-clock.{environment.ApplicationName}.offset");
        offsetTicks = settings.ClockOffset is { } told ? told.Ticks
            : File.Exists(file) && TimeSpan.TryParse(File.ReadAllText(file), CultureInfo.InvariantCulture, out var kept) ? kept.Ticks
            : 0;
    }

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    /// <summary>Moves the clock forward and keeps the new offset for the next start (written whole: a temporary file renamed).</summary>
    public void Advance(TimeSpan by)
    {
        lock (gate)
        {
            var offset = TimeSpan.FromTicks(Interlocked.Add(ref offsetTicks, by.Ticks));
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            var temporary = file + ".tmp";
            File.WriteAllText(temporary, offset.ToString("c", CultureInfo.InvariantCulture));
            File.Move(temporary, file, overwrite: true);
        }
    }

    /// <summary><c>GET</c>/<c>POST /{service}/dev/clock</c> (operator): read the clock; move it forward by <c>advanceBy</c>.</summary>
    internal static void Map(RouteGroupBuilder api, DevClock clock)
    {
        var dev = api.MapGroup("/dev/clock").RequireAuthorization(Roles.Operator).WithTags("development").ExcludeFromDescription();
        dev.MapGet("/", () => TypedResults.Ok(new DevClockState(clock.GetUtcNow(), clock.Offset)));
        dev.MapPost("/", Results<Ok<DevClockState>, ValidationProblem> (DevClockAdvance request) =>
        {
            clock.Advance(request.AdvanceBy!.Value);
            return TypedResults.Ok(new DevClockState(clock.GetUtcNow(), clock.Offset));
        });
    }
}

public sealed record DevClockAdvance(TimeSpan? AdvanceBy);

public sealed record DevClockState(DateTimeOffset Now, TimeSpan Offset);

public sealed class DevClockAdvanceValidator : AbstractValidator<DevClockAdvance>
{
    public DevClockAdvanceValidator() =>
        RuleFor(r => r.AdvanceBy).NotNull().GreaterThan(TimeSpan.Zero).LessThanOrEqualTo(TimeSpan.FromDays(3650)).WithMessage("Forward only, at most ten years.");
}

/// <summary>A development host's own settings (section <c>Dev</c>).</summary>
public sealed class DevSettings
{
    /// <summary>Where the development clock starts, when set (else where it was left).</summary>
    public TimeSpan? ClockOffset { get; set; }
}
