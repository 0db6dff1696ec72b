-- Licences granted on settled trades, security assessments for cross-border trades, and access requests awaiting a
-- provider's approval. At most one live exclusive licence per product, enforced by the database as well.
CREATE TABLE rights.licences (
    seq           bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_licences PRIMARY KEY CLUSTERED,
    id            uniqueidentifier      NOT NULL CONSTRAINT UQ_licences_id UNIQUE NONCLUSTERED,
    order_id      uniqueidentifier      NOT NULL CONSTRAINT UQ_licences_order UNIQUE NONCLUSTERED,
    licensee_id   uniqueidentifier      NOT NULL,
    product_id    uniqueidentifier      NOT NULL,
    provider_id   uniqueidentifier      NOT NULL,
    plan_id       uniqueidentifier      NOT NULL,
    purpose       nvarchar(500)         NOT NULL,
    starts_at     datetimeoffset(7)     NOT NULL,
    ends_at       datetimeoffset(7)     NOT NULL,
    usage_limit   bigint                NULL,
    exclusive     bit                   NOT NULL,
    status        varchar(16)           NOT NULL,
    status_reason nvarchar(2000)        NULL,
    version       int                   NOT NULL,
    issued_at     datetimeoffset(7)     NOT NULL,
    updated_at    datetimeoffset(7)     NOT NULL
);
GO
CREATE INDEX IX_licences_licensee ON rights.licences (licensee_id, seq);
GO
CREATE INDEX IX_licences_provider ON rights.licences (provider_id, seq);
GO
CREATE INDEX IX_licences_product ON rights.licences (product_id, status);
GO
CREATE UNIQUE INDEX UX_licences_live_exclusive ON rights.licences (product_id) WHERE exclusive = 1 AND status IN ('Active', 'Suspended');
GO
CREATE INDEX IX_licences_expiry ON rights.licences (ends_at) WHERE status IN ('Active', 'Suspended');
GO
CREATE TABLE rights.security_assessments (
    seq         bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_security_assessments PRIMARY KEY CLUSTERED,
    id          uniqueidentifier      NOT NULL CONSTRAINT UQ_security_assessments_id UNIQUE NONCLUSTERED,
    product_id  uniqueidentifier      NOT NULL,
    reference   nvarchar(200)         NOT NULL,
    valid_until datetimeoffset(7)     NOT NULL,
    recorded_by uniqueidentifier      NOT NULL,
    recorded_at datetimeoffset(7)     NOT NULL
);
GO
CREATE INDEX IX_security_assessments_product ON rights.security_assessments (product_id, valid_until);
GO
CREATE TABLE rights.access_requests (
    seq         bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_access_requests PRIMARY KEY CLUSTERED,
    order_id    uniqueidentifier      NOT NULL CONSTRAINT UQ_access_requests_order UNIQUE NONCLUSTERED,
    buyer_id    uniqueidentifier      NOT NULL,
    product_id  uniqueidentifier      NOT NULL,
    provider_id uniqueidentifier      NOT NULL,
    purpose     nvarchar(500)         NOT NULL,
    exclusive   bit                   NOT NULL,
    status      varchar(24)           NOT NULL,
    reason      varchar(64)           NULL,
    deadline    datetimeoffset(7)     NOT NULL,
    decided_by  uniqueidentifier      NULL,
    decided_at  datetimeoffset(7)     NULL,
    created_at  datetimeoffset(7)     NOT NULL
);
GO
CREATE INDEX IX_access_requests_provider ON rights.access_requests (provider_id, status, seq);
GO
CREATE INDEX IX_access_requests_deadline ON rights.access_requests (deadline) WHERE status = 'AwaitingProvider';
GO
