using System.Data.Common;
using System.Text;
using Marketplace.BuildingBlocks.Data;
using Microsoft.Data.Sqlite;

namespace Marketplace.Settlement.Journal;

/// <summary>
/// One range of journal rows, in position order, as the verifier walks them: each row's position, stored link and
/// hash as UTF-8 bytes, and the bytes of its link (<see cref="TradeJournal.WriteLink(ref byte[], ReadOnlySpan{byte}, long, ReadOnlySpan{byte}, int, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>).
/// SQLite's rows are read straight from the engine (<see cref="SqliteJournalRows"/>); SQL Server's through ADO.NET.
/// </summary>
internal abstract class JournalRows : IAsyncDisposable
{
    /// <summary>
    /// Entries from <c>@From</c> to <c>@To</c> (null: unbounded), by position; the readers take the columns by these
    /// ordinals (0 position … 8 hash).
    /// </summary>
    internal const string RangeSql = """
        SELECT position, order_id, order_version, state, detail, actor_id, recorded_at, prev_hash, hash FROM settlement.trade_journal
        WHERE (@From IS NULL OR position >= @From) AND (@To IS NULL OR position <= @To)
        ORDER BY position
        """;

    /// <summary>
    /// The rows of one range on a connection of their own. <paramref name="adoNet"/> reads SQLite through the ADO.NET
    /// reader too, as SQL Server is read: the tests walk both ways over the same journals.
    /// </summary>
    public static async Task<JournalRows> OpenAsync(SettlementDb db, long? from, long? to, bool adoNet, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        try
        {
            if (db.Provider == DatabaseProvider.Sqlite && !adoNet)
            {
                return new SqliteJournalRows((SqliteConnection)connection, from, to);
            }

            var command = connection.CreateCommand();
            command.CommandText = RangeSql;
            Bind(command, "@From", from);
            Bind(command, "@To", to);
            return new ReaderRows(connection, command, await command.ExecuteReaderAsync(ct));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public abstract ValueTask<bool> ReadAsync(CancellationToken ct);

    public abstract long Position { get; }

    /// <summary>The row's stored link to the previous entry.</summary>
    public abstract ReadOnlySpan<byte> PrevHash { get; }

    /// <summary>The row's stored hash.</summary>
    public abstract ReadOnlySpan<byte> Hash { get; }

    /// <summary>
    /// Writes the row's link into <paramref name="buffer"/>; false when a field does not hold what an append writes
    /// (an id or instant that does not parse), which only an edit makes.
    /// </summary>
    public abstract bool TryWriteLink(ref byte[] buffer, out int length);

    public abstract ValueTask DisposeAsync();

    private static void Bind(DbCommand command, string name, long? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = System.Data.DbType.Int64;
        parameter.Value = value is { } v ? v : DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Rows through an ADO.NET reader (SQL Server, whose text columns hold UTF-16): typed values, encoded.</summary>
    private sealed class ReaderRows(DbConnection connection, DbCommand command, DbDataReader reader) : JournalRows
    {
        private byte[] prevHash = [];
        private byte[] hash = [];

        public override long Position => reader.GetInt64(0);

        public override ReadOnlySpan<byte> PrevHash => prevHash;

        public override ReadOnlySpan<byte> Hash => hash;

        public override async ValueTask<bool> ReadAsync(CancellationToken ct)
        {
            if (!await reader.ReadAsync(ct))
            {
                return false;
            }

            prevHash = Encoding.UTF8.GetBytes(reader.GetString(7));
            hash = Encoding.UTF8.GetBytes(reader.GetString(8));
            return true;
        }

        public override bool TryWriteLink(ref byte[] buffer, out int length)
        {
            try
            {
                length = TradeJournal.WriteLink(
                    ref buffer, prevHash, Position, reader.GetGuid(1), reader.GetInt32(2), reader.GetString(3), reader.IsDBNull(5) ? null : reader.GetGuid(5),
                    reader.GetFieldValue<DateTimeOffset>(6), Encoding.UTF8.GetBytes(reader.GetString(4)));
                return true;
            }
            catch (FormatException)
            {
                // Only a text column can hold an id or instant that does not parse (SQLite read this way); an edit made it.
                length = 0;
                return false;
            }
        }

        public override async ValueTask DisposeAsync()
        {
            await reader.DisposeAsync();
            await command.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
