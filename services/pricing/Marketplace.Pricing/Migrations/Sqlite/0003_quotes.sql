-- Quotes: immutable once issued (the plan's terms are copied in), expired by time; a buyer's trial of a product is
-- recorded once, so a second trial quote is refused.
CREATE TABLE quotes (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT    NOT NULL UNIQUE,
    request_id    TEXT    NOT NULL,
    order_id      TEXT    NOT NULL,
    buyer_id      TEXT    NOT NULL,
    seller_id     TEXT    NOT NULL,
    product_id    TEXT    NOT NULL,
    plan_id       TEXT    NOT NULL,
    plan_revision INTEGER NOT NULL,
    plan_terms    TEXT    NOT NULL,
    fee_schedule  INTEGER NOT NULL,
    quantity      INTEGER NOT NULL,
    currency      TEXT    NOT NULL,
    amount        INTEGER NOT NULL,
    fee_bps       INTEGER NOT NULL,
    exchange_fee  INTEGER NOT NULL,
    vat_bps       INTEGER NOT NULL,
    tax           INTEGER NOT NULL,
    total         INTEGER NOT NULL,
    payouts       TEXT    NOT NULL,
    term_unit     TEXT    NOT NULL,
    term_length   INTEGER NOT NULL,
    status        TEXT    NOT NULL,
    issued_at     TEXT    NOT NULL,
    valid_until   TEXT    NOT NULL,
    expired_at    TEXT    NULL
);

CREATE INDEX IX_quotes_buyer ON quotes (buyer_id, seq);

CREATE INDEX IX_quotes_seller ON quotes (seller_id, seq);

CREATE INDEX IX_quotes_open ON quotes (valid_until) WHERE status = 'Issued';

CREATE TABLE trial_uses (
    buyer_id   TEXT NOT NULL,
    product_id TEXT NOT NULL,
    quote_id   TEXT NOT NULL,
    used_at    TEXT NOT NULL,
    PRIMARY KEY (buyer_id, product_id)
);
