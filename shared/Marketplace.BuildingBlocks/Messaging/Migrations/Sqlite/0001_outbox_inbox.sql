-- The transactional outbox and the idempotent-consumer inbox (SQLite: the service's own file is the main database here).
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY,
    id              TEXT    NOT NULL UNIQUE,
    message_type    TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    trace_parent    TEXT    NULL,
    created_at      TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT    NOT NULL,
    locked_until    TEXT    NULL,
    sent_at         TEXT    NULL,
    last_error      TEXT    NULL
);
CREATE INDEX IX_outbox_pending ON outbox (seq) WHERE sent_at IS NULL;
CREATE INDEX IX_outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
CREATE TABLE inbox (
    message_id   TEXT NOT NULL,
    consumer     TEXT NOT NULL,
    processed_at TEXT NOT NULL,
    PRIMARY KEY (message_id, consumer)
) WITHOUT ROWID;
CREATE INDEX IX_inbox_processed_at ON inbox (processed_at);
