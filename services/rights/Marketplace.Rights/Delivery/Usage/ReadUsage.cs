using System.Security.Claims;
using Dapper;
using FluentValidation;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Rights.Licences;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Rights.Delivery.Usage;

/// <summary>
/// What was delivered under a licence, for its licensee, the product's provider and operators:
/// <c>GET /rights/licences/{id}/usage?from=&amp;to=</c> — API calls, records, bytes and status classes, and downloads,
/// per minute (a window of at most 31 days, by default the last day); <c>GET /rights/licences/{id}/downloads</c> —
/// each download (file, bytes, range, status), newest last, keyset-paged. Counts are written every second or so.
/// </summary>
internal static class ReadUsage
{
    private const string MinutesSql = """
        SELECT minute, calls, records, bytes, status_2xx AS Status2xx, status_4xx AS Status4xx, status_5xx AS Status5xx, downloads,
            downloaded_bytes AS DownloadedBytes
        FROM rights.delivery_usage WHERE licence_id = @Id AND minute >= @From AND minute < @To ORDER BY minute
        """;

    private const string DownloadFilter = "WHERE licence_id = @Id AND seq > @After ORDER BY seq";

    private const string DownloadColumns = "seq, id, name, sha256, bytes, range_start, range_end, status, via, at";

    private const string DownloadsSqlServer = $"SELECT TOP (@Take) {DownloadColumns} FROM rights.delivery_downloads {DownloadFilter}";

    private const string DownloadsSqlite = $"SELECT {DownloadColumns} FROM rights.delivery_downloads {DownloadFilter} LIMIT @Take";

    public static async Task<Results<Ok<IReadOnlyList<MinuteUsage>>, ProblemHttpResult>> Minutes(
        Guid id, [Microsoft.AspNetCore.Http.AsParameters] UsageWindow window, ClaimsPrincipal user, RightsDb db, TimeProvider time, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        if (await LicenceStore.FindAsync(uow, id) is not { } licence || !(user.MaySee(licence.LicenseeId) || user.MaySee(licence.ProviderId)))
        {
            return Problems.NotFound("The licence");
        }

        var now = time.GetUtcNow();
        var to = window.To ?? new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(1); // through the current minute
        var from = window.From ?? to.AddDays(-1);
        return TypedResults.Ok<IReadOnlyList<MinuteUsage>>([.. await uow.QueryAsync<MinuteUsage>(MinutesSql, new { Id = id, From = from, To = to })]);
    }

    public static async Task<Results<Ok<Page<DownloadRecord>>, ProblemHttpResult>> Downloads(
        Guid id, string? after, int? limit, ClaimsPrincipal user, RightsDb db, CancellationToken ct)
    {
        if (!Cursor.TryDecode(after, out var afterSeq) || limit is < 1 or > Cursor.MaxPageSize)
        {
            return TypedResults.Problem("after must be a cursor this list returned and limit 1 to 100.", statusCode: StatusCodes.Status400BadRequest,
                title: "Bad page", extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["after"] = ["Not a cursor this list returned, or limit out of 1–100."] } });
        }

        await using var uow = await db.ReadAsync(ct);
        if (await LicenceStore.FindAsync(uow, id) is not { } licence || !(user.MaySee(licence.LicenseeId) || user.MaySee(licence.ProviderId)))
        {
            return Problems.NotFound("The licence");
        }

        var take = limit ?? Cursor.DefaultPageSize;
        var rows = (await uow.QueryAsync<DownloadRecord>(db.Sql(DownloadsSqlServer, DownloadsSqlite), new { Id = id, After = afterSeq, Take = take + 1 })).AsList();
        return TypedResults.Ok(Cursor.ToPage(rows, take, r => r.Seq, r => r));
    }
}

public sealed record UsageWindow(DateTimeOffset? From, DateTimeOffset? To);

internal sealed class UsageWindowValidator : AbstractValidator<UsageWindow>
{
    public UsageWindowValidator()
    {
        RuleFor(w => w.To).GreaterThan(w => w.From).When(w => w.From is not null && w.To is not null);
        RuleFor(w => w).Must(w => w.From is null || w.To is null || w.To - w.From <= TimeSpan.FromDays(31))
            .WithName("to").WithMessage("A window of at most 31 days.");
    }
}

public sealed record MinuteUsage
{
    public DateTimeOffset Minute { get; init; }

    public long Calls { get; init; }

    public long Records { get; init; }

    public long Bytes { get; init; }

    public long Status2xx { get; init; }

    public long Status4xx { get; init; }

    public long Status5xx { get; init; }

    public long Downloads { get; init; }

    public long DownloadedBytes { get; init; }
}

public sealed record DownloadRecord
{
    public long Seq { get; init; }

    public Guid Id { get; init; }

    public string Name { get; init; } = "";

    public string Sha256 { get; init; } = "";

    public long Bytes { get; init; }

    public long? RangeStart { get; init; }

    public long? RangeEnd { get; init; }

    public int Status { get; init; }

    public string Via { get; init; } = "";

    public DateTimeOffset At { get; init; }
}
