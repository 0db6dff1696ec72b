-- Exclusivity is reserved at the access decision, so the buyers it leaves out are refused before they pay. One row per
-- order of a product that sells exclusive licences: Reserved until the licence is issued (Licensed) or the order ends
-- (Ended); an order that ends before it is decided leaves an Ended row, so a late decision reserves nothing.
CREATE TABLE rights.reservations (
    order_id    uniqueidentifier  NOT NULL CONSTRAINT PK_reservations PRIMARY KEY CLUSTERED,
    product_id  uniqueidentifier  NOT NULL,
    exclusive   bit               NOT NULL,
    status      varchar(16)       NOT NULL,
    reserved_at datetimeoffset(7) NOT NULL,
    ended_at    datetimeoffset(7) NULL
);
GO
CREATE INDEX IX_reservations_open ON rights.reservations (product_id, exclusive) WHERE status = 'Reserved';
GO
