-- Messages a consumer gave up on (a failure retrying cannot cure, or retries spent): kept for the operator to replay
-- or discard. A replay is an outbox row sent to the one queue that failed (destination), not published to all.
CREATE TABLE $schema$.failed_messages (
    seq          bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_failed_messages PRIMARY KEY CLUSTERED,
    id           uniqueidentifier      NOT NULL CONSTRAINT UQ_failed_messages_id UNIQUE NONCLUSTERED,
    message_id   uniqueidentifier      NOT NULL,
    consumer     varchar(200)          NOT NULL,
    queue        varchar(200)          NOT NULL,
    message_type varchar(300)          NOT NULL,
    body         nvarchar(max)         NOT NULL,
    error_type   varchar(300)          NOT NULL,
    error        nvarchar(2000)        NOT NULL,
    attempts     int                   NOT NULL,
    failed_at    datetimeoffset(7)     NOT NULL,
    status       varchar(20)           NOT NULL,
    resolved_by  uniqueidentifier      NULL,
    resolved_at  datetimeoffset(7)     NULL,
    note         nvarchar(500)         NULL,
    version      int                   NOT NULL
);
GO
CREATE UNIQUE INDEX UQ_failed_messages_message ON $schema$.failed_messages (message_id, consumer);
GO
CREATE INDEX IX_failed_messages_open ON $schema$.failed_messages (consumer, seq) WHERE status = 'Failed';
GO
ALTER TABLE $schema$.outbox ADD destination varchar(200) NULL;
GO
