-- Messages a consumer gave up on (a failure retrying cannot cure, or retries spent): kept for the operator to replay
-- or discard. A replay is an outbox row sent to the one queue that failed (destination), not published to all.
CREATE TABLE failed_messages (
    seq          INTEGER PRIMARY KEY,
    id           TEXT    NOT NULL UNIQUE,
    message_id   TEXT    NOT NULL,
    consumer     TEXT    NOT NULL,
    queue        TEXT    NOT NULL,
    message_type TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    error_type   TEXT    NOT NULL,
    error        TEXT    NOT NULL,
    attempts     INTEGER NOT NULL,
    failed_at    TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    resolved_by  TEXT    NULL,
    resolved_at  TEXT    NULL,
    note         TEXT    NULL,
    version      INTEGER NOT NULL
);
CREATE UNIQUE INDEX UQ_failed_messages_message ON failed_messages (message_id, consumer);
CREATE INDEX IX_failed_messages_open ON failed_messages (consumer, seq) WHERE status = 'Failed';
ALTER TABLE outbox ADD COLUMN destination TEXT NULL;
