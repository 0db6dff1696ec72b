using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Pricing.Fees;

/// <summary>Fee schedules are append-only: the current one is the highest version; version 0 is the built-in default.</summary>
internal static class FeeStore
{
    private const string CurrentSql = """
        SELECT version, schedule, set_by, set_at FROM pricing.fee_schedules
        WHERE version = (SELECT MAX(version) FROM pricing.fee_schedules)
        """;

    private const string HistorySql = "SELECT version, schedule, set_by, set_at FROM pricing.fee_schedules ORDER BY version DESC";

    private const string InsertSql = """
        INSERT INTO pricing.fee_schedules (version, schedule, set_by, set_at) VALUES (@Version, @Schedule, @SetBy, @SetAt)
        """;

    public static async Task<FeeScheduleVersion> CurrentAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction = null)
    {
        var row = await Dapper.SqlMapper.QuerySingleOrDefaultAsync<Row>(connection, CurrentSql, transaction: transaction);
        return row is null ? new FeeScheduleVersion(0, FeeSchedule.Default, null, null) : row.ToVersion();
    }

    public static Task<FeeScheduleVersion> CurrentAsync(UnitOfWork uow) => CurrentAsync(uow.Connection, uow.Transaction);

    /// <summary>Every version, newest first, ending with the built-in default (version 0, never stored).</summary>
    public static async Task<IReadOnlyList<FeeScheduleVersion>> HistoryAsync(System.Data.Common.DbConnection connection) =>
        [.. (await Dapper.SqlMapper.QueryAsync<Row>(connection, HistorySql)).Select(r => r.ToVersion()), new FeeScheduleVersion(0, FeeSchedule.Default, null, null)];

    public static Task InsertAsync(UnitOfWork uow, FeeScheduleVersion version) => uow.ExecuteAsync(InsertSql, new
    {
        version.Version, Schedule = version.Schedule.ToJson(), version.SetBy, version.SetAt,
    });

    private sealed record Row
    {
        public int Version { get; init; }

        public string Schedule { get; init; } = "";

        public Guid SetBy { get; init; }

        public DateTimeOffset SetAt { get; init; }

        public FeeScheduleVersion ToVersion() => new(Version, FeeSchedule.FromJson(Schedule), SetBy, SetAt);
    }
}

/// <summary>One version of the fee schedule, who set it and when (none for the built-in default).</summary>
public sealed record FeeScheduleVersion(int Version, FeeSchedule Schedule, Guid? SetBy, DateTimeOffset? SetAt);
