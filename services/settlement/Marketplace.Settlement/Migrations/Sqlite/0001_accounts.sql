-- Ledger accounts: one per participant, kind and currency (balances in minor units).
CREATE TABLE accounts (
    seq       INTEGER PRIMARY KEY,
    id        TEXT    NOT NULL UNIQUE,
    owner_id  TEXT    NULL,
    kind      TEXT    NOT NULL,
    currency  TEXT    NOT NULL,
    balance   INTEGER NOT NULL,
    version   INTEGER NOT NULL,
    opened_at TEXT    NOT NULL,
    UNIQUE (owner_id, kind, currency)
);
