using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace Marketplace.BuildingBlocks.Data.Sqlite;

/// <summary>
/// The command Dapper (or anyone) gets from a <see cref="PooledSqliteConnection"/>: setting its text rents the
/// connection's prepared command for that text, executing binds the parameters to it, disposing hands it back —
/// cached when it ran cleanly, disposed after an error or with a reader still open. Set the text before the parameters
/// (a new text takes the parameters along).
/// </summary>
internal sealed class StatementLease(PooledSqliteConnection connection) : DbCommand
{
    private PooledSqliteConnection.CachedCommand? command;
    private int? timeout;
    private bool failed;

    [AllowNull]
    public override string CommandText
    {
        get => command?.CommandText ?? "";
        set
        {
            if (command?.CommandText == value)
            {
                return;
            }

            // Dapper rewrites the text after adding parameters when it expands a list (IN @ids): they move along.
            SqliteParameter[] parameters = command is { Parameters.Count: > 0 } ? [.. command.Parameters.Cast<SqliteParameter>()] : [];
            Release();
            command = connection.Rent(value ?? "");
            command.Parameters.AddRange(parameters);
        }
    }

    public override int CommandTimeout
    {
        get => timeout ?? connection.DefaultTimeout;
        set => timeout = value;
    }

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new ArgumentException("SQLite runs text commands only.", nameof(value));
            }
        }
    }

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection
    {
        get => connection;
        set
        {
            if (value != connection)
            {
                throw new NotSupportedException("A pooled connection's command stays on its connection.");
            }
        }
    }

    protected override DbParameterCollection DbParameterCollection => Rented.Parameters;

    protected override DbTransaction? DbTransaction { get; set; }

    private PooledSqliteConnection.CachedCommand Rented =>
        command ?? throw new InvalidOperationException("Set the command's text before its parameters.");

    public override void Cancel()
    {
    }

    public override void Prepare() => Ready().Prepare();

    public override int ExecuteNonQuery() => Run(c => c.ExecuteNonQuery());

    public override object? ExecuteScalar() => Run(c => c.ExecuteScalar());

    protected override DbParameter CreateDbParameter() => new SqliteParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Run(c => c.ExecuteReader(behavior));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Release();
        }

        base.Dispose(disposing);
    }

    private T Run<T>(Func<SqliteCommand, T> execute)
    {
        try
        {
            return execute(Ready());
        }
        catch
        {
            failed = true;
            throw;
        }
    }

    private SqliteCommand Ready()
    {
        var ready = Rented;
        ready.NameParameters();
        ready.Transaction = (SqliteTransaction?)DbTransaction ?? connection.CurrentTransaction;
        ready.CommandTimeout = CommandTimeout;
        return ready;
    }

    private void Release()
    {
        if (command is not null)
        {
            connection.Return(command, clean: !failed);
            command = null;
            failed = false;
        }
    }
}
