-- Delivery: the delivery methods a listing names; files uploaded per product manifest (content-addressed in the blob
-- store); the provider's API upstream (its credential encrypted with Data Protection); buyers' API keys (hashes only);
-- a row per download; API use per licence per minute.
ALTER TABLE products ADD COLUMN delivery_methods TEXT NOT NULL DEFAULT '';

CREATE TABLE delivery_files (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT    NOT NULL UNIQUE,
    product_id      TEXT    NOT NULL,
    manifest_sha256 TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    size            INTEGER NOT NULL,
    sha256          TEXT    NOT NULL,
    uploaded_by     TEXT    NOT NULL,
    uploaded_at     TEXT    NOT NULL
);

CREATE UNIQUE INDEX UX_delivery_files_set ON delivery_files (product_id, manifest_sha256, name);

CREATE TABLE delivery_api_sources (
    product_id        TEXT    NOT NULL PRIMARY KEY,
    base_url          TEXT    NOT NULL,
    methods           TEXT    NOT NULL,
    path_prefixes     TEXT    NOT NULL,
    credential_header TEXT    NULL,
    credential        TEXT    NULL,
    records_header    TEXT    NULL,
    version           INTEGER NOT NULL,
    updated_by        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);

CREATE TABLE delivery_keys (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT    NOT NULL UNIQUE,
    licence_id    TEXT    NOT NULL,
    prefix        TEXT    NOT NULL UNIQUE,
    secret_sha256 TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    expires_at    TEXT    NOT NULL,
    revoked_at    TEXT    NULL,
    revoked_by    TEXT    NULL
);

CREATE INDEX IX_delivery_keys_licence ON delivery_keys (licence_id, seq);

CREATE TABLE delivery_downloads (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT    NOT NULL UNIQUE,
    licence_id  TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    bytes       INTEGER NOT NULL,
    range_start INTEGER NULL,
    range_end   INTEGER NULL,
    status      INTEGER NOT NULL,
    via         TEXT    NOT NULL,
    at          TEXT    NOT NULL
);

CREATE INDEX IX_delivery_downloads_licence ON delivery_downloads (licence_id, seq);

CREATE TABLE delivery_usage (
    licence_id TEXT    NOT NULL,
    minute     TEXT    NOT NULL,
    calls      INTEGER NOT NULL,
    records    INTEGER NOT NULL,
    bytes      INTEGER NOT NULL,
    status_2xx INTEGER NOT NULL,
    status_4xx INTEGER NOT NULL,
    status_5xx INTEGER NOT NULL,
    downloads  INTEGER NOT NULL,
    downloaded_bytes INTEGER NOT NULL,
    PRIMARY KEY (licence_id, minute)
);

-- The Data Protection key ring that encrypts upstream credentials: in the database, so every rights instance shares it.
CREATE TABLE data_protection_keys (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    friendly_name TEXT    NOT NULL,
    xml           TEXT    NOT NULL,
    created_at    TEXT    NOT NULL
);

-- A request the provider let lapse has its own state (it was listed as Rejected while approving it answered 'Lapsed').
UPDATE access_requests SET status = 'Lapsed' WHERE status = 'Rejected' AND reason = 'provider-approval-lapsed';
