using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using static SQLitePCL.raw;

namespace Marketplace.Settlement.Journal;

/// <summary>
/// SQLite's journal rows read with SQLitePCLRaw — the engine binding Microsoft.Data.Sqlite is built on — rather than
/// through ADO.NET. Each text column is a span over the engine's own copy of the stored UTF-8: a row costs no string,
/// no array and no parsing but the ids' and the instant's — Microsoft.Data.Sqlite's reader would copy every text into
/// a new string or array, which costs more than the hashing the walk exists for.
/// </summary>
internal sealed class SqliteJournalRows : JournalRows
{
    private readonly SqliteConnection connection;
    private readonly sqlite3_stmt statement;
    private readonly byte[] orderId = new byte[TradeJournal.IdLength];
    private readonly byte[] actor = new byte[TradeJournal.IdLength];
    private readonly byte[] instant = new byte[TradeJournal.InstantLength];

    public SqliteJournalRows(SqliteConnection connection, long? from, long? to)
    {
        this.connection = connection;
        Check(sqlite3_prepare_v2(connection.Handle, RangeSql, out statement));
        try
        {
            Bind("@From", from);
            Bind("@To", to);
        }
        catch
        {
            statement.Dispose();
            throw;
        }
    }

    public override long Position => sqlite3_column_int64(statement, 0);

    public override ReadOnlySpan<byte> PrevHash => sqlite3_column_blob(statement, 7);

    public override ReadOnlySpan<byte> Hash => sqlite3_column_blob(statement, 8);

    public override ValueTask<bool> ReadAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var rc = sqlite3_step(statement);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
            Check(rc);
        }

        return ValueTask.FromResult(rc == SQLITE_ROW);
    }

    public override bool TryWriteLink(ref byte[] buffer, out int length)
    {
        length = 0;
        if (!TryWriteId(sqlite3_column_blob(statement, 1), orderId))
        {
            return false;
        }

        var noActor = sqlite3_column_type(statement, 5) == SQLITE_NULL;
        if (!noActor && !TryWriteId(sqlite3_column_blob(statement, 5), actor))
        {
            return false;
        }

        if (!TryWriteInstant(sqlite3_column_blob(statement, 6), instant))
        {
            return false;
        }

        length = TradeJournal.WriteLink(
            ref buffer, PrevHash, Position, orderId, sqlite3_column_int(statement, 2), sqlite3_column_blob(statement, 3), noActor ? TradeJournal.NoActor : actor, instant,
            sqlite3_column_blob(statement, 4));
        return true;
    }

    public override async ValueTask DisposeAsync()
    {
        statement.Dispose();
        await connection.DisposeAsync();
    }

    /// <summary>An id as stored (Microsoft.Data.Sqlite writes upper-case hex with dashes) in its link form.</summary>
    internal static bool TryWriteId(ReadOnlySpan<byte> stored, Span<byte> link)
    {
        if (!Guid.TryParse(stored, out var id))
        {
            return false;
        }

        TradeJournal.WriteId(id, link);
        return true;
    }

    /// <summary>
    /// An instant as stored in its link form. Microsoft.Data.Sqlite writes a DateTimeOffset as
    /// <c>yyyy-MM-dd HH:mm:ss.FFFFFFFzzz</c> (the fraction's trailing zeros, and the dot with them, left off); the
    /// journal appends UTC, so the common case is reshaped byte for byte — a tenth of the walk when parsed — and any
    /// other offset or spelling is parsed as Microsoft.Data.Sqlite parses it. The link holds the instant, not its
    /// spelling: two spellings of one instant verify alike, as they did when every row was parsed.
    /// </summary>
    internal static bool TryWriteInstant(ReadOnlySpan<byte> stored, Span<byte> link)
    {
        const int whole = 19; // yyyy-MM-dd HH:mm:ss
        if (stored.Length is >= whole + 6 and <= whole + 8 + 6 && stored[10] == ' ' && stored.EndsWith("+00:00"u8) &&
            (stored.Length == whole + 6 || (stored.Length > whole + 7 && stored[whole] == '.')))
        {
            stored[..whole].CopyTo(link);
            link[10] = (byte)'T';
            link[whole] = (byte)'.';
            var fraction = stored.Length == whole + 6 ? [] : stored[(whole + 1)..^6];
            fraction.CopyTo(link[(whole + 1)..]);
            link[(whole + 1 + fraction.Length)..^1].Fill((byte)'0');
            link[^1] = (byte)'Z';
            return true;
        }

        Span<char> text = stackalloc char[64];
        if (stored.Length > text.Length ||
            !DateTimeOffset.TryParse(text[..Encoding.UTF8.GetChars(stored, text)], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            return false;
        }

        TradeJournal.WriteInstant(at, link);
        return true;
    }

    private void Bind(string name, long? value)
    {
        var index = sqlite3_bind_parameter_index(statement, name);
        Check(value is { } v ? sqlite3_bind_int64(statement, index, v) : sqlite3_bind_null(statement, index));
    }

    private void Check(int rc) => SqliteException.ThrowExceptionForRC(rc, connection.Handle);
}
