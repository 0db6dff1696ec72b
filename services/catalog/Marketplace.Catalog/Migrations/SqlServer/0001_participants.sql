-- Participants admitted to the exchange and their change history (who changed what, when).
CREATE TABLE catalog.participants (
    seq                 bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_participants PRIMARY KEY CLUSTERED,
    id                  uniqueidentifier      NOT NULL CONSTRAINT UQ_participants_id UNIQUE NONCLUSTERED,
    name                nvarchar(200)         NOT NULL,
    jurisdiction        varchar(16)           NOT NULL,
    credit_code         char(18)              NULL,
    region              char(2)               NULL,
    registration_number nvarchar(64)          NULL,
    roles               int                   NOT NULL,
    qualification       varchar(16)           NULL,
    status              varchar(16)           NOT NULL,
    status_reason       nvarchar(500)         NULL,
    version             int                   NOT NULL,
    admitted_at         datetimeoffset(7)     NOT NULL,
    admitted_by         uniqueidentifier      NOT NULL,
    updated_at          datetimeoffset(7)     NOT NULL
);
GO
CREATE UNIQUE INDEX UX_participants_credit_code ON catalog.participants (credit_code) WHERE credit_code IS NOT NULL;
GO
CREATE UNIQUE INDEX UX_participants_registration ON catalog.participants (region, registration_number) WHERE registration_number IS NOT NULL;
GO
CREATE TABLE catalog.participant_history (
    seq            bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_participant_history PRIMARY KEY CLUSTERED,
    participant_id uniqueidentifier      NOT NULL,
    version        int                   NOT NULL,
    action         varchar(32)           NOT NULL,
    detail         nvarchar(1000)        NULL,
    actor_id       uniqueidentifier      NOT NULL,
    occurred_at    datetimeoffset(7)     NOT NULL,
    CONSTRAINT UQ_participant_history UNIQUE (participant_id, version)
);
GO
