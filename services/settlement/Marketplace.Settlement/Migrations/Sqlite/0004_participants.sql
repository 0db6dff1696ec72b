-- Settlement's read model of participants' status (a suspended participant changes nothing), kept from catalog's
-- events; participants admitted before it existed are those with accounts, active until an event says otherwise.
CREATE TABLE participants (
    id         TEXT    NOT NULL PRIMARY KEY,
    status     TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TEXT    NOT NULL
);
INSERT INTO participants (id, status, version, updated_at)
SELECT owner_id, 'Active', 0, MIN(opened_at) FROM accounts WHERE owner_id IS NOT NULL GROUP BY owner_id;
-- A buyer's orders waiting on the exchange (its share of the capacity): only those rows, so the index stays small.
CREATE INDEX IX_orders_buyer_in_progress ON orders (buyer_id) WHERE status IN ('Requested', 'AwaitingQuote', 'Settled');
