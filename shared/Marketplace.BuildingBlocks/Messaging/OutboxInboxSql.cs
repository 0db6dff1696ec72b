using Marketplace.BuildingBlocks.Data;

namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>
/// The outbox and inbox statements, written once per dialect with a <c>$schema$</c> token that each service's
/// schema replaces (the same token DbUp substitutes in the shared migration). A row is inserted already leased to
/// its writer, which publishes it from memory (<see cref="OutboxHandoff"/>); the claim picks up the rest. SQL Server claims rows with
/// <c>UPDLOCK, READPAST</c> so several dispatcher instances share the table without blocking each other.
/// </summary>
internal sealed class OutboxInboxSql
{
    public const string SchemaToken = "$schema$";

    private const string InsertOutboxSqlServer = """
        INSERT INTO $schema$.outbox (id, message_type, body, trace_parent, destination, created_at, attempts, next_attempt_at, locked_until)
        OUTPUT inserted.seq
        VALUES (@Id, @MessageType, @Body, @TraceParent, @Destination, @Now, 0, @Now, @LockedUntil)
        """;

    private const string InsertOutboxSqlite = """
        INSERT INTO $schema$.outbox (id, message_type, body, trace_parent, destination, created_at, attempts, next_attempt_at, locked_until)
        VALUES (@Id, @MessageType, @Body, @TraceParent, @Destination, @Now, 0, @Now, @LockedUntil)
        RETURNING seq
        """;

    private const string ClaimOutboxSqlServer = """
        WITH next AS (
            SELECT TOP (@Batch) seq, id, message_type, body, trace_parent, destination, attempts, locked_until
            FROM $schema$.outbox WITH (ROWLOCK, UPDLOCK, READPAST)
            WHERE sent_at IS NULL AND next_attempt_at <= @Now AND (locked_until IS NULL OR locked_until < @Now)
            ORDER BY seq)
        UPDATE next SET locked_until = @LockedUntil
        OUTPUT inserted.seq AS Seq, inserted.id AS Id, inserted.message_type AS MessageType, inserted.body AS Body,
               inserted.trace_parent AS TraceParent, inserted.destination AS Destination, inserted.attempts AS Attempts
        """;

    private const string ClaimOutboxSqlite = """
        UPDATE $schema$.outbox SET locked_until = @LockedUntil
        WHERE seq IN (
            SELECT seq FROM $schema$.outbox
            WHERE sent_at IS NULL AND next_attempt_at <= @Now AND (locked_until IS NULL OR locked_until < @Now)
            ORDER BY seq LIMIT @Batch)
        RETURNING seq AS Seq, id AS Id, message_type AS MessageType, body AS Body, trace_parent AS TraceParent, destination AS Destination,
            attempts AS Attempts
        """;

    private const string MarkSentSql = """
        UPDATE $schema$.outbox SET sent_at = @Now, locked_until = NULL WHERE seq IN @Seqs
        """;

    private const string ReleaseOutboxSql = """
        UPDATE $schema$.outbox SET locked_until = NULL WHERE seq IN @Seqs AND sent_at IS NULL
        """;

    private const string MarkFailedSql = """
        UPDATE $schema$.outbox
        SET attempts = attempts + 1, next_attempt_at = @NextAttemptAt, locked_until = NULL, last_error = @Error
        WHERE seq = @Seq
        """;

    private const string PurgeOutboxSql = """
        DELETE FROM $schema$.outbox WHERE sent_at IS NOT NULL AND sent_at < @Before
        """;

    private const string RecordInboxSqlServer = """
        INSERT INTO $schema$.inbox (message_id, consumer, processed_at)
        SELECT @MessageId, @Consumer, @Now
        WHERE NOT EXISTS (
            SELECT 1 FROM $schema$.inbox WITH (UPDLOCK, HOLDLOCK)
            WHERE message_id = @MessageId AND consumer = @Consumer)
        """;

    private const string RecordInboxSqlite = """
        INSERT OR IGNORE INTO $schema$.inbox (message_id, consumer, processed_at) VALUES (@MessageId, @Consumer, @Now)
        """;

    private const string PurgeInboxSql = """
        DELETE FROM $schema$.inbox WHERE processed_at < @Before
        """;

    public OutboxInboxSql(ServiceDb db)
    {
        string For(string sql) => sql.Replace(SchemaToken, db.Schema, StringComparison.Ordinal);
        InsertOutbox = For(db.Sql(InsertOutboxSqlServer, InsertOutboxSqlite));
        ClaimOutbox = For(db.Sql(ClaimOutboxSqlServer, ClaimOutboxSqlite));
        MarkSent = For(MarkSentSql);
        ReleaseOutbox = For(ReleaseOutboxSql);
        MarkFailed = For(MarkFailedSql);
        PurgeOutbox = For(PurgeOutboxSql);
        RecordInbox = For(db.Sql(RecordInboxSqlServer, RecordInboxSqlite));
        PurgeInbox = For(PurgeInboxSql);
        InsertFailed = For(FailedMessageStore.InsertSql);
        FindFailed = For(FailedMessageStore.FindSql);
        ListFailed = For(db.Sql(FailedMessageStore.ListSqlServer, FailedMessageStore.ListSqlite));
        SummariseFailed = For(FailedMessageStore.SummarySql);
        ResolveFailed = For(FailedMessageStore.ResolveSql);
    }

    public string InsertOutbox { get; }

    public string ClaimOutbox { get; }

    public string MarkSent { get; }

    public string ReleaseOutbox { get; }

    public string MarkFailed { get; }

    public string PurgeOutbox { get; }

    public string RecordInbox { get; }

    public string PurgeInbox { get; }

    public string InsertFailed { get; }

    public string FindFailed { get; }

    public string ListFailed { get; }

    public string SummariseFailed { get; }

    public string ResolveFailed { get; }
}
