-- Exclusivity is reserved at the access decision, so the buyers it leaves out are refused before they pay. One row per
-- order of a product that sells exclusive licences: Reserved until the licence is issued (Licensed) or the order ends
-- (Ended); an order that ends before it is decided leaves an Ended row, so a late decision reserves nothing.
CREATE TABLE reservations (
    order_id    TEXT    NOT NULL PRIMARY KEY,
    product_id  TEXT    NOT NULL,
    exclusive   INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    reserved_at TEXT    NOT NULL,
    ended_at    TEXT    NULL
) WITHOUT ROWID;

CREATE INDEX IX_reservations_open ON reservations (product_id, exclusive) WHERE status = 'Reserved';
