-- Rights registration: the listed products it registers rights over (read model from catalog's events), the
-- operators' working-day calendar for public notice, applications with their history and objections, holder changes,
-- and certificates (every version kept; signed by the exchange).
CREATE TABLE rights.products (
    id                       uniqueidentifier  NOT NULL CONSTRAINT PK_products PRIMARY KEY NONCLUSTERED,
    owner_id                 uniqueidentifier  NOT NULL,
    category                 varchar(8)        NOT NULL,
    subject                  varchar(16)       NOT NULL,
    grade                    varchar(16)       NOT NULL,
    requires_manual_approval bit               NOT NULL,
    exclusive_allowed        bit               NOT NULL,
    manifest_sha256          char(64)          NOT NULL,
    status                   varchar(16)       NOT NULL,
    version                  int               NOT NULL,
    updated_at               datetimeoffset(7) NOT NULL
);
GO
CREATE TABLE rights.calendar_days (
    day    date              NOT NULL CONSTRAINT PK_calendar_days PRIMARY KEY CLUSTERED,
    kind   varchar(16)       NOT NULL,
    set_by uniqueidentifier  NOT NULL,
    set_at datetimeoffset(7) NOT NULL
);
GO
CREATE TABLE rights.registrations (
    seq                bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_registrations PRIMARY KEY CLUSTERED,
    id                 uniqueidentifier      NOT NULL CONSTRAINT UQ_registrations_id UNIQUE NONCLUSTERED,
    product_id         uniqueidentifier      NOT NULL,
    applicant_id       uniqueidentifier      NOT NULL,
    rights             varchar(64)           NOT NULL,
    holders            nvarchar(max)         NOT NULL,
    manifest_sha256    char(64)              NOT NULL,
    source_description nvarchar(2000)        NOT NULL,
    lawful_basis       nvarchar(2000)        NOT NULL,
    status             varchar(24)           NOT NULL,
    notice_ends_at     datetimeoffset(7)     NULL,
    version            int                   NOT NULL,
    created_at         datetimeoffset(7)     NOT NULL,
    updated_at         datetimeoffset(7)     NOT NULL
);
GO
CREATE INDEX IX_registrations_product ON rights.registrations (product_id, seq);
GO
CREATE INDEX IX_registrations_applicant ON rights.registrations (applicant_id, seq);
GO
CREATE INDEX IX_registrations_notice ON rights.registrations (notice_ends_at) WHERE status = 'InNotice';
GO
CREATE TABLE rights.registration_history (
    seq             bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_registration_history PRIMARY KEY CLUSTERED,
    registration_id uniqueidentifier      NOT NULL,
    version         int                   NOT NULL,
    action          varchar(32)           NOT NULL,
    reason          nvarchar(2000)        NULL,
    actor_id        uniqueidentifier      NULL,
    occurred_at     datetimeoffset(7)     NOT NULL
);
GO
CREATE INDEX IX_registration_history ON rights.registration_history (registration_id, seq);
GO
CREATE TABLE rights.objections (
    seq             bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_objections PRIMARY KEY CLUSTERED,
    id              uniqueidentifier      NOT NULL CONSTRAINT UQ_objections_id UNIQUE NONCLUSTERED,
    registration_id uniqueidentifier      NOT NULL,
    objector_id     uniqueidentifier      NOT NULL,
    grounds         nvarchar(2000)        NOT NULL,
    status          varchar(16)           NOT NULL,
    ruling          nvarchar(2000)        NULL,
    ruled_by        uniqueidentifier      NULL,
    filed_at        datetimeoffset(7)     NOT NULL,
    ruled_at        datetimeoffset(7)     NULL
);
GO
CREATE INDEX IX_objections_registration ON rights.objections (registration_id, status);
GO
CREATE TABLE rights.holder_changes (
    seq             bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_holder_changes PRIMARY KEY CLUSTERED,
    id              uniqueidentifier      NOT NULL CONSTRAINT UQ_holder_changes_id UNIQUE NONCLUSTERED,
    registration_id uniqueidentifier      NOT NULL,
    holders         nvarchar(max)         NOT NULL,
    reason          nvarchar(2000)        NOT NULL,
    status          varchar(16)           NOT NULL,
    requested_by    uniqueidentifier      NOT NULL,
    decided_by      uniqueidentifier      NULL,
    decision        nvarchar(2000)        NULL,
    requested_at    datetimeoffset(7)     NOT NULL,
    decided_at      datetimeoffset(7)     NULL
);
GO
CREATE TABLE rights.certificates (
    seq                 bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_certificates PRIMARY KEY CLUSTERED,
    number              varchar(32)           NOT NULL CONSTRAINT UQ_certificates_number UNIQUE NONCLUSTERED,
    registration_id     uniqueidentifier      NOT NULL,
    registration_seq    bigint                NOT NULL,
    certificate_version int                   NOT NULL,
    product_id          uniqueidentifier      NOT NULL,
    applicant_id        uniqueidentifier      NOT NULL,
    rights              varchar(64)           NOT NULL,
    holders             nvarchar(max)         NOT NULL,
    manifest_sha256     char(64)              NOT NULL,
    valid_from          datetimeoffset(7)     NOT NULL,
    valid_until         datetimeoffset(7)     NOT NULL,
    issued_at           datetimeoffset(7)     NOT NULL,
    digest              char(64)              NOT NULL,
    signature           varchar(200)          NOT NULL,
    key_id              varchar(32)           NOT NULL,
    status              varchar(16)           NOT NULL,
    status_reason       nvarchar(2000)        NULL,
    status_at           datetimeoffset(7)     NULL,
    CONSTRAINT UQ_certificates_version UNIQUE (registration_id, certificate_version)
);
GO
CREATE INDEX IX_certificates_product ON rights.certificates (product_id, status);
GO
CREATE INDEX IX_certificates_expiry ON rights.certificates (valid_until) WHERE status = 'Active';
GO
