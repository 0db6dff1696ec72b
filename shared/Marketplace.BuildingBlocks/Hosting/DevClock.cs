using FluentValidation;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Marketplace.BuildingBlocks.Hosting;

/// <summary>
/// Outside Production the services' <see cref="TimeProvider"/> is this clock: the system's, moved forward by an offset
/// an operator sets through <c>POST /{service}/dev/clock</c>, so a demo can let a public notice or a dispute window
/// run out without waiting for it. Timers keep the system's pace; only "now" moves. Tokens are issued and checked on
/// the wall clock, never on this one. Production registers <see cref="TimeProvider.System"/> and maps no endpoint.
/// The offset lives in the process; <c>Dev:ClockOffset</c> sets where a starting process begins (the reliability
/// suite carries a killed service's offset over to its restart this way).
/// </summary>
public sealed class DevClock(IConfiguration configuration) : TimeProvider
{
    private long offsetTicks = configuration.GetValue("Dev:ClockOffset", TimeSpan.Zero).Ticks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

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
