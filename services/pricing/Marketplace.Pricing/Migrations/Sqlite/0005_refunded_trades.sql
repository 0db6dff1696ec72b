-- Trades refunded in full: not a price the market paid, so no comparable. Kept apart from settled_trades so that a
-- refund overtaking its settlement on the bus still counts.
CREATE TABLE refunded_trades (
    order_id    TEXT NOT NULL PRIMARY KEY,
    refunded_at TEXT NOT NULL
);
