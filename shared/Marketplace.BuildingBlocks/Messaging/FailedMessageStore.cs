using Marketplace.BuildingBlocks.Data;

namespace Marketplace.BuildingBlocks.Messaging;

public enum FailedMessageStatus
{
    Failed,
    Replayed,
    Discarded,
}

/// <summary>A message one consumer gave up on, as the operator sees it.</summary>
public sealed record FailedMessage
{
    public long Seq { get; init; }

    public Guid Id { get; init; }

    public Guid MessageId { get; init; }

    public string Consumer { get; init; } = "";

    public string Queue { get; init; } = "";

    public string MessageType { get; init; } = "";

    public string Body { get; init; } = "";

    public string ErrorType { get; init; } = "";

    public string Error { get; init; } = "";

    public int Attempts { get; init; }

    public DateTimeOffset FailedAt { get; init; }

    public FailedMessageStatus Status { get; init; }

    public Guid? ResolvedBy { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    public string? Note { get; init; }

    public int Version { get; init; }
}

/// <summary>Per consumer: how many messages wait for the operator, the oldest, and the latest failure's error.</summary>
public sealed record FailedMessageSummary
{
    public string Consumer { get; init; } = "";

    public long Count { get; init; }

    public DateTimeOffset Oldest { get; init; }

    public DateTimeOffset Latest { get; init; }

    public string LastError { get; init; } = "";
}

/// <summary>The failed-message statements (<c>$schema$</c> replaced per service, like the outbox's).</summary>
internal static class FailedMessageStore
{
    public const string Columns = """
        seq, id, message_id, consumer, queue, message_type, body, error_type, error, attempts, failed_at, status, resolved_by,
        resolved_at, note, version
        """;

    public const string InsertSql = """
        INSERT INTO $schema$.failed_messages (id, message_id, consumer, queue, message_type, body, error_type, error, attempts,
            failed_at, status, version)
        VALUES (@Id, @MessageId, @Consumer, @Queue, @MessageType, @Body, @ErrorType, @Error, @Attempts, @FailedAt, 'Failed', 1)
        """;

    public const string FindSql = $"SELECT {Columns} FROM $schema$.failed_messages WHERE id = @Id";

    private const string Filter = """
        WHERE seq > @After AND (@Status IS NULL OR status = @Status) AND (@Consumer IS NULL OR consumer = @Consumer)
        ORDER BY seq
        """;

    public const string ListSqlServer = $"SELECT TOP (@Take) {Columns} FROM $schema$.failed_messages {Filter} OPTION (RECOMPILE)";

    public const string ListSqlite = $"SELECT {Columns} FROM $schema$.failed_messages {Filter} LIMIT @Take";

    /// <summary>The latest error per consumer is the one of its newest open row (seq rises with time).</summary>
    public const string SummarySql = """
        SELECT f.consumer AS Consumer, f.failures AS Count, f.oldest AS Oldest, f.latest AS Latest, l.error AS LastError
        FROM (SELECT consumer, COUNT(*) AS failures, MIN(failed_at) AS oldest, MAX(failed_at) AS latest, MAX(seq) AS last_seq
              FROM $schema$.failed_messages WHERE status = 'Failed' GROUP BY consumer) f
        JOIN $schema$.failed_messages l ON l.seq = f.last_seq
        ORDER BY f.consumer
        """;

    public const string ResolveSql = """
        UPDATE $schema$.failed_messages
        SET status = @Status, resolved_by = @ResolvedBy, resolved_at = @ResolvedAt, note = @Note, version = version + 1
        WHERE id = @Id AND status = 'Failed'
        """;

    public static Task<FailedMessage?> FindAsync(UnitOfWork uow, ServiceDb db, Guid id) =>
        uow.QuerySingleOrDefaultAsync<FailedMessage>(db.Messaging.FindFailed, new { Id = id });
}
