using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Marketplace.BuildingBlocks.Data.Sqlite;

/// <summary>
/// An open SQLite connection that goes back to its <see cref="SqliteConnectionPool"/> when disposed and keeps the
/// statements it prepared: commands created through <see cref="DbConnection.CreateCommand"/> (as Dapper creates them)
/// are <see cref="StatementLease"/>s of a cached, already prepared <see cref="SqliteCommand"/> for the same SQL text.
/// The cache holds the <see cref="Capacity"/> most recently used texts; SQLite re-prepares a cached statement by itself
/// if the schema changed under it.
/// </summary>
internal sealed class PooledSqliteConnection(string connectionString, SqliteConnectionPool pool) : SqliteConnection(connectionString)
{
    public const int Capacity = 100;

    private readonly Dictionary<string, LinkedListNode<CachedCommand>> byText = new(StringComparer.Ordinal);
    private readonly LinkedList<CachedCommand> recent = new();
    private int leases;
    private bool retiring;

    /// <summary>Open, outside any transaction, no command out: safe to hand to the next user.</summary>
    internal bool Reusable => !retiring && State == System.Data.ConnectionState.Open && Transaction is null && leases == 0;

    /// <summary>The transaction a command runs in when its caller names none, as <see cref="SqliteConnection.CreateCommand"/> does.</summary>
    internal SqliteTransaction? CurrentTransaction => Transaction;

    internal int CachedStatements => byText.Count;

    /// <summary>In the pool's idle stack (set and read under the pool's lock).</summary>
    internal bool Idle { get; set; }

    protected override DbCommand CreateDbCommand() => new StatementLease(this);

    internal CachedCommand Rent(string sql)
    {
        leases++;
        if (byText.Remove(sql, out var node))
        {
            recent.Remove(node);
            return node.Value;
        }

        return new CachedCommand(sql, this);
    }

    /// <summary>Takes a command back after its use: cached when it ended cleanly, disposed otherwise.</summary>
    internal void Return(CachedCommand command, bool clean)
    {
        leases--;
        if (!clean || retiring || command.HasOpenReader || byText.ContainsKey(command.CommandText))
        {
            command.Dispose();
            return;
        }

        command.Parameters.Clear();
        command.Transaction = null;
        byText.Add(command.CommandText, recent.AddFirst(command));
        if (recent.Count > Capacity)
        {
            var oldest = recent.Last!;
            recent.RemoveLast();
            byText.Remove(oldest.Value.CommandText);
            oldest.Value.Dispose();
        }
    }

    /// <summary>Closes the connection for real (the pool is full or going away).</summary>
    internal void Retire()
    {
        retiring = true;
        Dispose();
    }

    public override void Close()
    {
        foreach (var command in recent)
        {
            command.Dispose();
        }

        recent.Clear();
        byText.Clear();
        base.Close();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && pool.TryReturn(this))
        {
            return;
        }

        retiring = true;
        base.Dispose(disposing);
    }

    /// <summary>
    /// A command that can say whether a reader of it is still open (the base keeps that to itself), and that names its
    /// parameters as its statement does before each run.
    /// </summary>
    internal sealed class CachedCommand(string sql, SqliteConnection connection) : SqliteCommand(sql, connection)
    {
        private static readonly char[] Prefixes = ['@', '$', ':'];

        /// <summary>Each bare parameter name met with this statement, and the name its text gives it.</summary>
        private readonly Dictionary<string, string> names = new(StringComparer.Ordinal);

        public bool HasOpenReader => DataReader is not null;

        /// <summary>
        /// Dapper names parameters without their prefix (<c>Id</c> for <c>@Id</c>). Microsoft.Data.Sqlite then looks
        /// each one up four times on every run — <c>Id</c>, <c>@Id</c>, <c>$Id</c>, <c>:Id</c>, a new string and its
        /// UTF-8 copy each time, a tenth of all the host allocated under load. The name as the statement spells it is
        /// found once per statement and set before each run: one lookup.
        /// </summary>
        public void NameParameters()
        {
            foreach (SqliteParameter parameter in Parameters)
            {
                var name = parameter.ParameterName;
                if (name.Length == 0 || Array.IndexOf(Prefixes, name[0]) >= 0)
                {
                    continue;
                }

                if (!names.TryGetValue(name, out var spelled))
                {
                    var found = Prefixes.Where(prefix => Mentions(CommandText, prefix + name)).Select(prefix => prefix + name).ToList();
                    spelled = names[name] = found.Count == 1 ? found[0] : name; // none or ambiguous: Microsoft.Data.Sqlite says which
                }

                parameter.ParameterName = spelled;
            }
        }

        /// <summary>Whether <paramref name="sql"/> holds <paramref name="parameter"/> as a whole name (not the start of a longer one).</summary>
        internal static bool Mentions(string sql, string parameter)
        {
            for (var at = sql.IndexOf(parameter, StringComparison.Ordinal); at >= 0; at = sql.IndexOf(parameter, at + 1, StringComparison.Ordinal))
            {
                var end = at + parameter.Length;
                if (end == sql.Length || !(char.IsLetterOrDigit(sql[end]) || sql[end] == '_'))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
