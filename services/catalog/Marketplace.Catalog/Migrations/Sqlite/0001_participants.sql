-- Participants admitted to the exchange and their change history (who changed what, when).
CREATE TABLE participants (
    seq                 INTEGER PRIMARY KEY,
    id                  TEXT    NOT NULL UNIQUE,
    name                TEXT    NOT NULL,
    jurisdiction        TEXT    NOT NULL,
    credit_code         TEXT    NULL,
    region              TEXT    NULL,
    registration_number TEXT    NULL,
    roles               INTEGER NOT NULL,
    qualification       TEXT    NULL,
    status              TEXT    NOT NULL,
    status_reason       TEXT    NULL,
    version             INTEGER NOT NULL,
    admitted_at         TEXT    NOT NULL,
    admitted_by         TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL
);
CREATE UNIQUE INDEX UX_participants_credit_code ON participants (credit_code) WHERE credit_code IS NOT NULL;
CREATE UNIQUE INDEX UX_participants_registration ON participants (region, registration_number) WHERE registration_number IS NOT NULL;
CREATE TABLE participant_history (
    seq            INTEGER PRIMARY KEY,
    participant_id TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    action         TEXT    NOT NULL,
    detail         TEXT    NULL,
    actor_id       TEXT    NOT NULL,
    occurred_at    TEXT    NOT NULL,
    UNIQUE (participant_id, version)
);
