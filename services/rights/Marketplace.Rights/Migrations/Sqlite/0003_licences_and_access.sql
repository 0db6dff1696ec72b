-- Licences granted on settled trades, security assessments for cross-border trades, and access requests awaiting a
-- provider's approval. At most one live exclusive licence per product, enforced by the database as well.
CREATE TABLE licences (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT    NOT NULL UNIQUE,
    order_id      TEXT    NOT NULL UNIQUE,
    licensee_id   TEXT    NOT NULL,
    product_id    TEXT    NOT NULL,
    provider_id   TEXT    NOT NULL,
    plan_id       TEXT    NOT NULL,
    purpose       TEXT    NOT NULL,
    starts_at     TEXT    NOT NULL,
    ends_at       TEXT    NOT NULL,
    usage_limit   INTEGER NULL,
    exclusive     INTEGER NOT NULL,
    status        TEXT    NOT NULL,
    status_reason TEXT    NULL,
    version       INTEGER NOT NULL,
    issued_at     TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);

CREATE INDEX IX_licences_licensee ON licences (licensee_id, seq);

CREATE INDEX IX_licences_provider ON licences (provider_id, seq);

CREATE INDEX IX_licences_product ON licences (product_id, status);

CREATE UNIQUE INDEX UX_licences_live_exclusive ON licences (product_id) WHERE exclusive = 1 AND status IN ('Active', 'Suspended');

CREATE INDEX IX_licences_expiry ON licences (ends_at) WHERE status IN ('Active', 'Suspended');

CREATE TABLE security_assessments (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT    NOT NULL UNIQUE,
    product_id  TEXT    NOT NULL,
    reference   TEXT    NOT NULL,
    valid_until TEXT    NOT NULL,
    recorded_by TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL
);

CREATE INDEX IX_security_assessments_product ON security_assessments (product_id, valid_until);

CREATE TABLE access_requests (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id    TEXT    NOT NULL UNIQUE,
    buyer_id    TEXT    NOT NULL,
    product_id  TEXT    NOT NULL,
    provider_id TEXT    NOT NULL,
    purpose     TEXT    NOT NULL,
    exclusive   INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    reason      TEXT    NULL,
    deadline    TEXT    NOT NULL,
    decided_by  TEXT    NULL,
    decided_at  TEXT    NULL,
    created_at  TEXT    NOT NULL
);

CREATE INDEX IX_access_requests_provider ON access_requests (provider_id, status, seq);

CREATE INDEX IX_access_requests_deadline ON access_requests (deadline) WHERE status = 'AwaitingProvider';
