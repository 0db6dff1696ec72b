using System.Text;
using Marketplace.Settlement.Journal;
using Microsoft.Data.Sqlite;

namespace Marketplace.Tests.Trades;

/// <summary>
/// The SQLite verifier reads ids and instants as Microsoft.Data.Sqlite stored them and reshapes them into their link
/// forms without the typed values; for every value stored the real way, the bytes are the ones the appender hashed.
/// </summary>
public sealed class JournalStoredFieldsTests
{
    public static TheoryData<DateTimeOffset> Instants()
    {
        var data = new TheoryData<DateTimeOffset>
        {
            new DateTimeOffset(2026, 12, 2, 9, 30, 15, TimeSpan.Zero),
            new DateTimeOffset(2026, 12, 2, 9, 30, 15, TimeSpan.Zero).AddTicks(5_000_000),
            new DateTimeOffset(2026, 12, 2, 9, 30, 15, TimeSpan.Zero).AddTicks(1),
            new DateTimeOffset(2026, 12, 2, 9, 30, 15, TimeSpan.Zero).AddTicks(1_234_567),
            new DateTimeOffset(2026, 12, 2, 9, 30, 15, TimeSpan.Zero).AddTicks(1_000_000),
            new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999),
            new DateTimeOffset(2026, 12, 2, 9, 30, 15, TimeSpan.FromHours(8)).AddTicks(1_230_000),
            new DateTimeOffset(2026, 12, 2, 0, 30, 15, TimeSpan.FromMinutes(-330)),
        };
        var random = new Random(20261202);
        for (var i = 0; i < 40; i++)
        {
            data.Add(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(random.NextInt64(TimeSpan.TicksPerDay * 3650)));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Instants))]
    public void A_stored_instant_reads_as_the_link_the_appender_hashed(DateTimeOffset at)
    {
        var stored = Stored(at);
        var link = new byte[TradeJournal.InstantLength];
        var expected = new byte[TradeJournal.InstantLength];
        TradeJournal.WriteInstant(at, expected);

        Assert.True(SqliteJournalRows.TryWriteInstant(stored, link), Encoding.UTF8.GetString(stored));
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(link));
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("0195f0a0-0000-7000-8000-00000000abcd")]
    [InlineData("ffffffff-ffff-ffff-ffff-ffffffffffff")]
    public void A_stored_id_reads_as_the_link_the_appender_hashed(string id)
    {
        var link = new byte[TradeJournal.IdLength];
        Assert.True(SqliteJournalRows.TryWriteId(Stored(Guid.Parse(id)), link));
        Assert.Equal(id, Encoding.UTF8.GetString(link));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData("2026-13-45 99:99:99.1+08:00")]
    public void Text_that_is_no_instant_is_refused(string stored) =>
        Assert.False(SqliteJournalRows.TryWriteInstant(Encoding.UTF8.GetBytes(stored), new byte[TradeJournal.InstantLength]));

    [Theory]
    [InlineData("x")]
    [InlineData("0195F0A0-0000-7000-8000-00000000ABC")]
    public void Text_that_is_no_id_is_refused(string stored) =>
        Assert.False(SqliteJournalRows.TryWriteId(Encoding.UTF8.GetBytes(stored), new byte[TradeJournal.IdLength]));

    /// <summary>The bytes Microsoft.Data.Sqlite stores for a value bound the way Dapper binds it.</summary>
    private static byte[] Stored<T>(T value)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT CAST(@Value AS BLOB)";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@Value";
        parameter.DbType = value is Guid ? System.Data.DbType.Guid : System.Data.DbType.DateTimeOffset;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return (byte[])command.ExecuteScalar()!;
    }
}
