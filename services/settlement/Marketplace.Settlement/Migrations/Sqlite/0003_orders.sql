-- Trades: the listed products settlement sells (read model from catalog's events), orders from request to
-- completion, the hash-chained trade journal and its head, signed vouchers, and disputes.
CREATE TABLE products (
    id                  TEXT    NOT NULL PRIMARY KEY,
    owner_id            TEXT    NOT NULL,
    category            TEXT    NOT NULL,
    grade               TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    version             INTEGER NOT NULL,
    updated_at          TEXT    NOT NULL
);

CREATE TABLE orders (
    seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
    id                  TEXT    NOT NULL UNIQUE,
    buyer_id            TEXT    NOT NULL,
    seller_id           TEXT    NOT NULL,
    product_id          TEXT    NOT NULL,
    category            TEXT    NOT NULL,
    grade               TEXT    NOT NULL,
    plan_id             TEXT    NOT NULL,
    quantity            INTEGER NOT NULL,
    purpose             TEXT    NOT NULL,
    exclusive           INTEGER NOT NULL,
    request_hash        TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    reason              TEXT    NULL,
    reason_detail       TEXT    NULL,
    certificate_number  TEXT    NULL,
    holders             TEXT    NULL,
    approval_deadline   TEXT    NULL,
    quote_id            TEXT    NULL,
    quote_valid_until   TEXT    NULL,
    currency            TEXT    NULL,
    amount              INTEGER NULL,
    exchange_fee        INTEGER NULL,
    tax                 INTEGER NULL,
    total               INTEGER NULL,
    payouts             TEXT    NULL,
    term_unit           TEXT    NULL,
    term_length         INTEGER NULL,
    settlement_entry_id TEXT    NULL,
    licence_id          TEXT    NULL,
    licence_ends_at     TEXT    NULL,
    settled_at          TEXT    NULL,
    completed_at        TEXT    NULL,
    release_at          TEXT    NULL,
    released            INTEGER NOT NULL,
    refunded            INTEGER NOT NULL,
    version             INTEGER NOT NULL,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL
);

CREATE INDEX IX_orders_buyer ON orders (buyer_id, seq);

CREATE INDEX IX_orders_seller ON orders (seller_id, seq);

CREATE INDEX IX_orders_status ON orders (status, seq);

CREATE INDEX IX_orders_release ON orders (release_at) WHERE released = 0 AND status = 'Completed';

CREATE INDEX IX_orders_settled ON orders (settled_at);

CREATE TABLE journal_head (
    id                  INTEGER NOT NULL PRIMARY KEY,
    position            INTEGER NOT NULL,
    hash                TEXT    NOT NULL
);

INSERT INTO journal_head (id, position, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE trade_journal (
    position            INTEGER NOT NULL PRIMARY KEY,
    order_id            TEXT    NOT NULL,
    order_version       INTEGER NOT NULL,
    state               TEXT    NOT NULL,
    detail              TEXT    NOT NULL,
    actor_id            TEXT    NULL,
    recorded_at         TEXT    NOT NULL,
    prev_hash           TEXT    NOT NULL,
    hash                TEXT    NOT NULL
);

CREATE INDEX IX_trade_journal_order ON trade_journal (order_id, position);

CREATE TABLE vouchers (
    number              TEXT    NOT NULL PRIMARY KEY,
    order_id            TEXT    NOT NULL UNIQUE,
    payload             TEXT    NOT NULL,
    digest              TEXT    NOT NULL,
    signature           TEXT    NOT NULL,
    key_id              TEXT    NOT NULL,
    issued_at           TEXT    NOT NULL
);

CREATE TABLE disputes (
    seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
    id                  TEXT    NOT NULL UNIQUE,
    order_id            TEXT    NOT NULL,
    buyer_id            TEXT    NOT NULL,
    grounds             TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    refund              INTEGER NULL,
    ruling              TEXT    NULL,
    ruled_by            TEXT    NULL,
    filed_at            TEXT    NOT NULL,
    ruled_at            TEXT    NULL
);

CREATE INDEX IX_disputes_status ON disputes (status, seq);
