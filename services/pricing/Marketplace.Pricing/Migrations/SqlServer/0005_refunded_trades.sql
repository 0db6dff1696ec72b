-- Trades refunded in full: not a price the market paid, so no comparable. Kept apart from settled_trades so that a
-- refund overtaking its settlement on the bus still counts.
CREATE TABLE pricing.refunded_trades (
    order_id    uniqueidentifier  NOT NULL CONSTRAINT PK_refunded_trades PRIMARY KEY NONCLUSTERED,
    refunded_at datetimeoffset(7) NOT NULL
);
GO
