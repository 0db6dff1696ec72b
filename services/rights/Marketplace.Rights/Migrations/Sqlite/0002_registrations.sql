-- Rights registration: the listed products it registers rights over (read model from catalog's events), the
-- operators' working-day calendar for public notice, applications with their history and objections, holder changes,
-- and certificates (every version kept; signed by the exchange).
CREATE TABLE products (
    id                       TEXT    NOT NULL PRIMARY KEY,
    owner_id                 TEXT    NOT NULL,
    category                 TEXT    NOT NULL,
    subject                  TEXT    NOT NULL,
    grade                    TEXT    NOT NULL,
    requires_manual_approval INTEGER NOT NULL,
    exclusive_allowed        INTEGER NOT NULL,
    manifest_sha256          TEXT    NOT NULL,
    status                   TEXT    NOT NULL,
    version                  INTEGER NOT NULL,
    updated_at               TEXT    NOT NULL
);

CREATE TABLE calendar_days (
    day    TEXT NOT NULL PRIMARY KEY,
    kind   TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
);

CREATE TABLE registrations (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    id                 TEXT    NOT NULL UNIQUE,
    product_id         TEXT    NOT NULL,
    applicant_id       TEXT    NOT NULL,
    rights             TEXT    NOT NULL,
    holders            TEXT    NOT NULL,
    manifest_sha256    TEXT    NOT NULL,
    source_description TEXT    NOT NULL,
    lawful_basis       TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    notice_ends_at     TEXT    NULL,
    version            INTEGER NOT NULL,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL
);

CREATE INDEX IX_registrations_product ON registrations (product_id, seq);

CREATE INDEX IX_registrations_applicant ON registrations (applicant_id, seq);

CREATE INDEX IX_registrations_notice ON registrations (notice_ends_at) WHERE status = 'InNotice';

CREATE TABLE registration_history (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    registration_id TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    action          TEXT    NOT NULL,
    reason          TEXT    NULL,
    actor_id        TEXT    NULL,
    occurred_at     TEXT    NOT NULL
);

CREATE INDEX IX_registration_history ON registration_history (registration_id, seq);

CREATE TABLE objections (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT    NOT NULL UNIQUE,
    registration_id TEXT    NOT NULL,
    objector_id     TEXT    NOT NULL,
    grounds         TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    ruling          TEXT    NULL,
    ruled_by        TEXT    NULL,
    filed_at        TEXT    NOT NULL,
    ruled_at        TEXT    NULL
);

CREATE INDEX IX_objections_registration ON objections (registration_id, status);

CREATE TABLE holder_changes (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT    NOT NULL UNIQUE,
    registration_id TEXT    NOT NULL,
    holders         TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    requested_by    TEXT    NOT NULL,
    decided_by      TEXT    NULL,
    decision        TEXT    NULL,
    requested_at    TEXT    NOT NULL,
    decided_at      TEXT    NULL
);

CREATE TABLE certificates (
    seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
    number              TEXT    NOT NULL UNIQUE,
    registration_id     TEXT    NOT NULL,
    registration_seq    INTEGER NOT NULL,
    certificate_version INTEGER NOT NULL,
    product_id          TEXT    NOT NULL,
    applicant_id        TEXT    NOT NULL,
    rights              TEXT    NOT NULL,
    holders             TEXT    NOT NULL,
    manifest_sha256     TEXT    NOT NULL,
    valid_from          TEXT    NOT NULL,
    valid_until         TEXT    NOT NULL,
    issued_at           TEXT    NOT NULL,
    digest              TEXT    NOT NULL,
    signature           TEXT    NOT NULL,
    key_id              TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    status_reason       TEXT    NULL,
    status_at           TEXT    NULL,
    UNIQUE (registration_id, certificate_version)
);

CREATE INDEX IX_certificates_product ON certificates (product_id, status);

CREATE INDEX IX_certificates_expiry ON certificates (valid_until) WHERE status = 'Active';
