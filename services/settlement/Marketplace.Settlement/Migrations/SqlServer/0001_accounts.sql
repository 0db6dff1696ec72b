-- Ledger accounts: one per participant, kind and currency (balances in minor units).
CREATE TABLE settlement.accounts (
    seq       bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_accounts PRIMARY KEY CLUSTERED,
    id        uniqueidentifier      NOT NULL CONSTRAINT UQ_accounts_id UNIQUE NONCLUSTERED,
    owner_id  uniqueidentifier      NULL,
    kind      varchar(32)           NOT NULL,
    currency  char(3)               NOT NULL,
    balance   bigint                NOT NULL,
    version   int                   NOT NULL,
    opened_at datetimeoffset(7)     NOT NULL,
    CONSTRAINT UQ_accounts_owner_kind UNIQUE (owner_id, kind, currency)
);
GO
