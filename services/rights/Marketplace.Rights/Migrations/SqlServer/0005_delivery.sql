-- Delivery: the delivery methods a listing names; files uploaded per product manifest (content-addressed in the blob
-- store); the provider's API upstream (its credential encrypted with Data Protection); buyers' API keys (hashes only);
-- a row per download; API use per licence per minute.
ALTER TABLE rights.products ADD delivery_methods varchar(100) NOT NULL CONSTRAINT DF_products_delivery_methods DEFAULT '';
GO
CREATE TABLE rights.delivery_files (
    seq             bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_delivery_files PRIMARY KEY CLUSTERED,
    id              uniqueidentifier      NOT NULL CONSTRAINT UQ_delivery_files_id UNIQUE NONCLUSTERED,
    product_id      uniqueidentifier      NOT NULL,
    manifest_sha256 char(64)              NOT NULL,
    name            nvarchar(255)         NOT NULL,
    size            bigint                NOT NULL,
    sha256          char(64)              NOT NULL,
    uploaded_by     uniqueidentifier      NOT NULL,
    uploaded_at     datetimeoffset(7)     NOT NULL
);
GO
CREATE UNIQUE INDEX UX_delivery_files_set ON rights.delivery_files (product_id, manifest_sha256, name);
GO
CREATE TABLE rights.delivery_api_sources (
    product_id        uniqueidentifier  NOT NULL CONSTRAINT PK_delivery_api_sources PRIMARY KEY NONCLUSTERED,
    base_url          nvarchar(2000)    NOT NULL,
    methods           varchar(100)      NOT NULL,
    path_prefixes     nvarchar(2000)    NOT NULL,
    credential_header varchar(100)      NULL,
    credential        nvarchar(max)     NULL,
    records_header    varchar(100)      NULL,
    version           int               NOT NULL,
    updated_by        uniqueidentifier  NOT NULL,
    updated_at        datetimeoffset(7) NOT NULL
);
GO
CREATE TABLE rights.delivery_keys (
    seq           bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_delivery_keys PRIMARY KEY CLUSTERED,
    id            uniqueidentifier      NOT NULL CONSTRAINT UQ_delivery_keys_id UNIQUE NONCLUSTERED,
    licence_id    uniqueidentifier      NOT NULL,
    prefix        char(8)               NOT NULL CONSTRAINT UQ_delivery_keys_prefix UNIQUE NONCLUSTERED,
    secret_sha256 char(64)              NOT NULL,
    created_at    datetimeoffset(7)     NOT NULL,
    expires_at    datetimeoffset(7)     NOT NULL,
    revoked_at    datetimeoffset(7)     NULL,
    revoked_by    uniqueidentifier      NULL
);
GO
CREATE INDEX IX_delivery_keys_licence ON rights.delivery_keys (licence_id, seq);
GO
CREATE TABLE rights.delivery_downloads (
    seq         bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_delivery_downloads PRIMARY KEY CLUSTERED,
    id          uniqueidentifier      NOT NULL CONSTRAINT UQ_delivery_downloads_id UNIQUE NONCLUSTERED,
    licence_id  uniqueidentifier      NOT NULL,
    name        nvarchar(255)         NOT NULL,
    sha256      char(64)              NOT NULL,
    bytes       bigint                NOT NULL,
    range_start bigint                NULL,
    range_end   bigint                NULL,
    status      int                   NOT NULL,
    via         varchar(8)            NOT NULL,
    at          datetimeoffset(7)     NOT NULL
);
GO
CREATE INDEX IX_delivery_downloads_licence ON rights.delivery_downloads (licence_id, seq);
GO
CREATE TABLE rights.delivery_usage (
    licence_id uniqueidentifier NOT NULL,
    minute     datetimeoffset(7) NOT NULL,
    calls      bigint           NOT NULL,
    records    bigint           NOT NULL,
    bytes      bigint           NOT NULL,
    status_2xx bigint           NOT NULL,
    status_4xx bigint           NOT NULL,
    status_5xx bigint           NOT NULL,
    downloads  bigint           NOT NULL,
    downloaded_bytes bigint     NOT NULL,
    CONSTRAINT PK_delivery_usage PRIMARY KEY CLUSTERED (licence_id, minute)
);
GO
-- The Data Protection key ring that encrypts upstream credentials: in the database, so every rights instance shares it.
CREATE TABLE rights.data_protection_keys (
    seq           bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_data_protection_keys PRIMARY KEY CLUSTERED,
    friendly_name nvarchar(200)         NOT NULL,
    xml           nvarchar(max)         NOT NULL,
    created_at    datetimeoffset(7)     NOT NULL
);
GO
-- A request the provider let lapse has its own state (it was listed as Rejected while approving it answered 'Lapsed').
UPDATE rights.access_requests SET status = 'Lapsed' WHERE status = 'Rejected' AND reason = 'provider-approval-lapsed';
GO
