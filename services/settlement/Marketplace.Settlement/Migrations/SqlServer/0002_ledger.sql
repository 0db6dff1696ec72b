-- The double-entry ledger: immutable entries with legs (postings) that sum to zero per currency, account limits,
-- two-phase holds, deposits and withdrawals. Nothing here is ever updated in place except balances (with their
-- version) and the status of holds and withdrawals; corrections are new, reversing entries.
ALTER TABLE settlement.accounts ADD min_balance bigint NULL;
GO
UPDATE settlement.accounts SET min_balance = 0;
GO
INSERT INTO settlement.accounts (id, owner_id, kind, currency, balance, version, opened_at, min_balance)
VALUES ('00000000-0000-8000-8000-000000000001', NULL, 'BankClearing', 'CNY', 0, 1, SYSDATETIMEOFFSET(), NULL),
       ('00000000-0000-8000-8000-000000000002', NULL, 'FeeRevenue',   'CNY', 0, 1, SYSDATETIMEOFFSET(), 0),
       ('00000000-0000-8000-8000-000000000003', NULL, 'TaxPayable',   'CNY', 0, 1, SYSDATETIMEOFFSET(), 0);
GO
CREATE TABLE settlement.entries (
    seq               bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_entries PRIMARY KEY CLUSTERED,
    id                uniqueidentifier      NOT NULL CONSTRAINT UQ_entries_id UNIQUE NONCLUSTERED,
    kind              varchar(32)           NOT NULL,
    description       nvarchar(500)         NULL,
    content_hash      char(64)              NOT NULL,
    reverses_entry_id uniqueidentifier      NULL,
    created_by        uniqueidentifier      NOT NULL,
    created_at        datetimeoffset(7)     NOT NULL
);
GO
CREATE UNIQUE INDEX UX_entries_reverses ON settlement.entries (reverses_entry_id) WHERE reverses_entry_id IS NOT NULL;
GO
CREATE TABLE settlement.postings (
    seq           bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_postings PRIMARY KEY CLUSTERED,
    entry_id      uniqueidentifier      NOT NULL,
    account_id    uniqueidentifier      NOT NULL,
    currency      char(3)               NOT NULL,
    amount        bigint                NOT NULL,
    balance_after bigint                NOT NULL,
    created_at    datetimeoffset(7)     NOT NULL
);
GO
CREATE INDEX IX_postings_account ON settlement.postings (account_id, seq) INCLUDE (amount, created_at);
GO
CREATE INDEX IX_postings_entry ON settlement.postings (entry_id);
GO
CREATE TABLE settlement.holds (
    seq                  bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_holds PRIMARY KEY CLUSTERED,
    id                   uniqueidentifier      NOT NULL CONSTRAINT UQ_holds_id UNIQUE NONCLUSTERED,
    owner_id             uniqueidentifier      NOT NULL,
    available_account_id uniqueidentifier      NOT NULL,
    held_account_id      uniqueidentifier      NOT NULL,
    currency             char(3)               NOT NULL,
    amount               bigint                NOT NULL,
    purpose              varchar(32)           NOT NULL,
    status               varchar(16)           NOT NULL,
    placed_entry_id      uniqueidentifier      NOT NULL,
    closed_entry_id      uniqueidentifier      NULL,
    version              int                   NOT NULL,
    placed_at            datetimeoffset(7)     NOT NULL,
    closed_at            datetimeoffset(7)     NULL
);
GO
CREATE INDEX IX_holds_open ON settlement.holds (held_account_id) INCLUDE (amount) WHERE status = 'Pending';
GO
CREATE TABLE settlement.deposits (
    seq            bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_deposits PRIMARY KEY CLUSTERED,
    id             uniqueidentifier      NOT NULL CONSTRAINT UQ_deposits_id UNIQUE NONCLUSTERED,
    participant_id uniqueidentifier      NOT NULL,
    currency       char(3)               NOT NULL,
    amount         bigint                NOT NULL,
    source         varchar(16)           NOT NULL,
    reference      nvarchar(100)         NOT NULL,
    recorded_by    uniqueidentifier      NULL,
    recorded_at    datetimeoffset(7)     NOT NULL,
    CONSTRAINT UQ_deposits_reference UNIQUE (source, reference)
);
GO
CREATE TABLE settlement.withdrawals (
    seq            bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_withdrawals PRIMARY KEY CLUSTERED,
    id             uniqueidentifier      NOT NULL CONSTRAINT UQ_withdrawals_id UNIQUE NONCLUSTERED,
    participant_id uniqueidentifier      NOT NULL,
    hold_id        uniqueidentifier      NOT NULL,
    currency       char(3)               NOT NULL,
    amount         bigint                NOT NULL,
    bank_account   nvarchar(100)         NOT NULL,
    status         varchar(16)           NOT NULL,
    reason         nvarchar(500)         NULL,
    version        int                   NOT NULL,
    requested_at   datetimeoffset(7)     NOT NULL,
    decided_by     uniqueidentifier      NULL,
    decided_at     datetimeoffset(7)     NULL
);
GO
CREATE INDEX IX_withdrawals_participant ON settlement.withdrawals (participant_id, seq);
GO
CREATE INDEX IX_withdrawals_status ON settlement.withdrawals (status, seq);
GO
