-- Data products: the product (its listing state and which revision is listed or pending), its revisions (content as
-- JSON, never changed once submitted), and its history (every transition and review decision: who, what, when).
CREATE TABLE products (
    seq              INTEGER PRIMARY KEY,
    id               TEXT    NOT NULL UNIQUE,
    owner_id         TEXT    NOT NULL,
    listing          TEXT    NOT NULL,
    listed_revision  INTEGER NULL,
    pending_revision INTEGER NULL,
    pending_state    TEXT    NULL,
    status_reason    TEXT    NULL,
    version          INTEGER NOT NULL,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);
CREATE INDEX IX_products_owner ON products (owner_id, seq);
CREATE INDEX IX_products_review_queue ON products (pending_state, seq) WHERE pending_state IS NOT NULL;
CREATE TABLE product_revisions (
    product_id TEXT    NOT NULL,
    revision   INTEGER NOT NULL,
    content    TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (product_id, revision)
) WITHOUT ROWID;
CREATE TABLE product_history (
    seq         INTEGER PRIMARY KEY,
    product_id  TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    action      TEXT    NOT NULL,
    revision    INTEGER NULL,
    detail      TEXT    NULL,
    actor_id    TEXT    NOT NULL,
    occurred_at TEXT    NOT NULL,
    UNIQUE (product_id, version)
);
