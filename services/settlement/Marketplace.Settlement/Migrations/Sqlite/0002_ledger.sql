-- The double-entry ledger: immutable entries with legs (postings) that sum to zero per currency, account limits,
-- two-phase holds, deposits and withdrawals. Nothing here is ever updated in place except balances (with their
-- version) and the status of holds and withdrawals; corrections are new, reversing entries.
ALTER TABLE accounts ADD COLUMN min_balance INTEGER NULL;
UPDATE accounts SET min_balance = 0;
INSERT INTO accounts (id, owner_id, kind, currency, balance, version, opened_at, min_balance)
VALUES ('00000000-0000-8000-8000-000000000001', NULL, 'BankClearing', 'CNY', 0, 1, strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'), NULL),
       ('00000000-0000-8000-8000-000000000002', NULL, 'FeeRevenue',   'CNY', 0, 1, strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'), 0),
       ('00000000-0000-8000-8000-000000000003', NULL, 'TaxPayable',   'CNY', 0, 1, strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'), 0);
CREATE TABLE entries (
    seq               INTEGER PRIMARY KEY,
    id                TEXT    NOT NULL UNIQUE,
    kind              TEXT    NOT NULL,
    description       TEXT    NULL,
    content_hash      TEXT    NOT NULL,
    reverses_entry_id TEXT    NULL,
    created_by        TEXT    NOT NULL,
    created_at        TEXT    NOT NULL
);
CREATE UNIQUE INDEX UX_entries_reverses ON entries (reverses_entry_id) WHERE reverses_entry_id IS NOT NULL;
CREATE TABLE postings (
    seq           INTEGER PRIMARY KEY,
    entry_id      TEXT    NOT NULL,
    account_id    TEXT    NOT NULL,
    currency      TEXT    NOT NULL,
    amount        INTEGER NOT NULL,
    balance_after INTEGER NOT NULL,
    created_at    TEXT    NOT NULL
);
CREATE INDEX IX_postings_account ON postings (account_id, seq);
CREATE INDEX IX_postings_entry ON postings (entry_id);
CREATE TABLE holds (
    seq                  INTEGER PRIMARY KEY,
    id                   TEXT    NOT NULL UNIQUE,
    owner_id             TEXT    NOT NULL,
    available_account_id TEXT    NOT NULL,
    held_account_id      TEXT    NOT NULL,
    currency             TEXT    NOT NULL,
    amount               INTEGER NOT NULL,
    purpose              TEXT    NOT NULL,
    status               TEXT    NOT NULL,
    placed_entry_id      TEXT    NOT NULL,
    closed_entry_id      TEXT    NULL,
    version              INTEGER NOT NULL,
    placed_at            TEXT    NOT NULL,
    closed_at            TEXT    NULL
);
CREATE INDEX IX_holds_open ON holds (held_account_id) WHERE status = 'Pending';
CREATE TABLE deposits (
    seq            INTEGER PRIMARY KEY,
    id             TEXT    NOT NULL UNIQUE,
    participant_id TEXT    NOT NULL,
    currency       TEXT    NOT NULL,
    amount         INTEGER NOT NULL,
    source         TEXT    NOT NULL,
    reference      TEXT    NOT NULL,
    recorded_by    TEXT    NULL,
    recorded_at    TEXT    NOT NULL,
    UNIQUE (source, reference)
);
CREATE TABLE withdrawals (
    seq            INTEGER PRIMARY KEY,
    id             TEXT    NOT NULL UNIQUE,
    participant_id TEXT    NOT NULL,
    hold_id        TEXT    NOT NULL,
    currency       TEXT    NOT NULL,
    amount         INTEGER NOT NULL,
    bank_account   TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    reason         TEXT    NULL,
    version        INTEGER NOT NULL,
    requested_at   TEXT    NOT NULL,
    decided_by     TEXT    NULL,
    decided_at     TEXT    NULL
);
CREATE INDEX IX_withdrawals_participant ON withdrawals (participant_id, seq);
CREATE INDEX IX_withdrawals_status ON withdrawals (status, seq);
