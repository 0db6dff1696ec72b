-- Pricing's read model of admitted participants, kept from catalog's events.
CREATE TABLE pricing.participants (
    id         uniqueidentifier  NOT NULL CONSTRAINT PK_participants PRIMARY KEY NONCLUSTERED,
    roles      int               NOT NULL,
    status     varchar(16)       NOT NULL,
    version    int               NOT NULL,
    updated_at datetimeoffset(7) NOT NULL
);
GO
