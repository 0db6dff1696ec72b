-- Catalog's read model of pricing's published plans: each plan's entry price, so search can show and sort by a
-- product's cheapest price (product_search.min_price, in CNY fen).
CREATE TABLE plan_prices (
    plan_id    TEXT    NOT NULL PRIMARY KEY,
    product_id TEXT    NOT NULL,
    revision   INTEGER NOT NULL,
    currency   TEXT    NOT NULL,
    from_price INTEGER NOT NULL,
    active     INTEGER NOT NULL,
    updated_at TEXT    NOT NULL
);

CREATE INDEX IX_plan_prices_product ON plan_prices (product_id);
