-- Rights' read model of admitted participants, kept from catalog's events.
CREATE TABLE participants (
    id            TEXT    NOT NULL PRIMARY KEY,
    name          TEXT    NOT NULL,
    jurisdiction  TEXT    NOT NULL,
    roles         INTEGER NOT NULL,
    qualification TEXT    NULL,
    status        TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    updated_at    TEXT    NOT NULL
);
