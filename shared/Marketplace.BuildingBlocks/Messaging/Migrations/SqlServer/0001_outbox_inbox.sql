-- The transactional outbox and the idempotent-consumer inbox, created in every service's schema.
CREATE TABLE $schema$.outbox (
    seq             bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_outbox PRIMARY KEY CLUSTERED,
    id              uniqueidentifier      NOT NULL CONSTRAINT UQ_outbox_id UNIQUE NONCLUSTERED,
    message_type    varchar(300)          NOT NULL,
    body            nvarchar(max)         NOT NULL,
    trace_parent    varchar(128)          NULL,
    created_at      datetimeoffset(7)     NOT NULL,
    attempts        int                   NOT NULL,
    next_attempt_at datetimeoffset(7)     NOT NULL,
    locked_until    datetimeoffset(7)     NULL,
    sent_at         datetimeoffset(7)     NULL,
    last_error      nvarchar(2000)        NULL
);
GO
CREATE INDEX IX_outbox_pending ON $schema$.outbox (seq) INCLUDE (next_attempt_at, locked_until) WHERE sent_at IS NULL;
GO
CREATE INDEX IX_outbox_sent ON $schema$.outbox (sent_at) WHERE sent_at IS NOT NULL;
GO
CREATE TABLE $schema$.inbox (
    message_id   uniqueidentifier  NOT NULL,
    consumer     varchar(200)      NOT NULL,
    processed_at datetimeoffset(7) NOT NULL,
    CONSTRAINT PK_inbox PRIMARY KEY CLUSTERED (message_id, consumer)
);
GO
CREATE INDEX IX_inbox_processed_at ON $schema$.inbox (processed_at);
GO
