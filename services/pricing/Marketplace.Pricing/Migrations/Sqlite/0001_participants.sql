-- Pricing's read model of admitted participants, kept from catalog's events.
CREATE TABLE participants (
    id         TEXT    NOT NULL PRIMARY KEY,
    roles      INTEGER NOT NULL,
    status     TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TEXT    NOT NULL
);
