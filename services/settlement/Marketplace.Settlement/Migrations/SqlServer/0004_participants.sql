-- Settlement's read model of participants' status (a suspended participant changes nothing), kept from catalog's
-- events; participants admitted before it existed are those with accounts, active until an event says otherwise.
CREATE TABLE settlement.participants (
    id         uniqueidentifier  NOT NULL CONSTRAINT PK_participants PRIMARY KEY NONCLUSTERED,
    status     varchar(16)       NOT NULL,
    version    int               NOT NULL,
    updated_at datetimeoffset(7) NOT NULL
);
GO
INSERT INTO settlement.participants (id, status, version, updated_at)
SELECT owner_id, 'Active', 0, MIN(opened_at) FROM settlement.accounts WHERE owner_id IS NOT NULL GROUP BY owner_id;
GO
-- A buyer's orders waiting on the exchange (its share of the capacity): only those rows, so the index stays small.
CREATE INDEX IX_orders_buyer_in_progress ON settlement.orders (buyer_id) WHERE status IN ('Requested', 'AwaitingQuote', 'Settled');
GO
