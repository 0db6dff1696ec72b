-- Settled trades (from settlement's events) are the comparables for the market method and price guidance;
-- valuations keep their inputs, every step and the value.
CREATE TABLE settled_trades (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id   TEXT    NOT NULL UNIQUE,
    product_id TEXT    NOT NULL,
    category   TEXT    NOT NULL,
    grade      TEXT    NOT NULL,
    quantity   INTEGER NOT NULL,
    currency   TEXT    NOT NULL,
    amount     INTEGER NOT NULL,
    settled_at TEXT    NOT NULL
);

CREATE INDEX IX_settled_trades_category ON settled_trades (category, currency, settled_at);

CREATE TABLE valuations (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT    NOT NULL UNIQUE,
    product_id TEXT    NOT NULL,
    method     TEXT    NOT NULL,
    currency   TEXT    NOT NULL,
    value      INTEGER NOT NULL,
    inputs     TEXT    NOT NULL,
    steps      TEXT    NOT NULL,
    valued_by  TEXT    NOT NULL,
    valued_at  TEXT    NOT NULL
);

CREATE INDEX IX_valuations_product ON valuations (product_id, method, seq);
