-- Trades: the listed products settlement sells (read model from catalog's events), orders from request to
-- completion, the hash-chained trade journal and its head, signed vouchers, and disputes.
CREATE TABLE settlement.products (
    id         uniqueidentifier  NOT NULL CONSTRAINT PK_products PRIMARY KEY NONCLUSTERED,
    owner_id   uniqueidentifier  NOT NULL,
    category   varchar(8)        NOT NULL,
    grade      varchar(16)       NOT NULL,
    status     varchar(16)       NOT NULL,
    version    int               NOT NULL,
    updated_at datetimeoffset(7) NOT NULL
);
GO
CREATE TABLE settlement.orders (
    seq                 bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_orders PRIMARY KEY CLUSTERED,
    id                  uniqueidentifier      NOT NULL CONSTRAINT UQ_orders_id UNIQUE NONCLUSTERED,
    buyer_id            uniqueidentifier      NOT NULL,
    seller_id           uniqueidentifier      NOT NULL,
    product_id          uniqueidentifier      NOT NULL,
    category            varchar(8)            NOT NULL,
    grade               varchar(16)           NOT NULL,
    plan_id             uniqueidentifier      NOT NULL,
    quantity            bigint                NOT NULL,
    purpose             nvarchar(500)         NOT NULL,
    exclusive           bit                   NOT NULL,
    request_hash        char(64)              NOT NULL,
    status              varchar(24)           NOT NULL,
    reason              varchar(64)           NULL,
    reason_detail       nvarchar(2000)        NULL,
    certificate_number  varchar(32)           NULL,
    holders             nvarchar(max)         NULL,
    approval_deadline   datetimeoffset(7)     NULL,
    quote_id            uniqueidentifier      NULL,
    quote_valid_until   datetimeoffset(7)     NULL,
    currency            char(3)               NULL,
    amount              bigint                NULL,
    exchange_fee        bigint                NULL,
    tax                 bigint                NULL,
    total               bigint                NULL,
    payouts             nvarchar(max)         NULL,
    term_unit           varchar(8)            NULL,
    term_length         int                   NULL,
    settlement_entry_id uniqueidentifier      NULL,
    licence_id          uniqueidentifier      NULL,
    licence_ends_at     datetimeoffset(7)     NULL,
    settled_at          datetimeoffset(7)     NULL,
    completed_at        datetimeoffset(7)     NULL,
    release_at          datetimeoffset(7)     NULL,
    released            bit                   NOT NULL,
    refunded            bigint                NOT NULL,
    version             int                   NOT NULL,
    created_at          datetimeoffset(7)     NOT NULL,
    updated_at          datetimeoffset(7)     NOT NULL
);
GO
CREATE INDEX IX_orders_buyer ON settlement.orders (buyer_id, seq);
GO
CREATE INDEX IX_orders_seller ON settlement.orders (seller_id, seq);
GO
CREATE INDEX IX_orders_status ON settlement.orders (status, seq);
GO
CREATE INDEX IX_orders_release ON settlement.orders (release_at) WHERE released = 0 AND status = 'Completed';
GO
CREATE INDEX IX_orders_settled ON settlement.orders (settled_at) INCLUDE (category, grade, amount, exchange_fee, tax, currency);
GO
CREATE TABLE settlement.journal_head (
    id       int      NOT NULL CONSTRAINT PK_journal_head PRIMARY KEY,
    position bigint   NOT NULL,
    hash     char(64) NOT NULL
);
GO
INSERT INTO settlement.journal_head (id, position, hash) VALUES (1, 0, REPLICATE('0', 64));
GO
CREATE TABLE settlement.trade_journal (
    position      bigint            NOT NULL CONSTRAINT PK_trade_journal PRIMARY KEY CLUSTERED,
    order_id      uniqueidentifier  NOT NULL,
    order_version int               NOT NULL,
    state         varchar(24)       NOT NULL,
    detail        nvarchar(max)     NOT NULL,
    actor_id      uniqueidentifier  NULL,
    recorded_at   datetimeoffset(7) NOT NULL,
    prev_hash     char(64)          NOT NULL,
    hash          char(64)          NOT NULL
);
GO
CREATE INDEX IX_trade_journal_order ON settlement.trade_journal (order_id, position);
GO
CREATE TABLE settlement.vouchers (
    number    varchar(32)       NOT NULL CONSTRAINT PK_vouchers PRIMARY KEY NONCLUSTERED,
    order_id  uniqueidentifier  NOT NULL CONSTRAINT UQ_vouchers_order UNIQUE,
    payload   nvarchar(max)     NOT NULL,
    digest    char(64)          NOT NULL,
    signature varchar(200)      NOT NULL,
    key_id    varchar(32)       NOT NULL,
    issued_at datetimeoffset(7) NOT NULL
);
GO
CREATE TABLE settlement.disputes (
    seq        bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_disputes PRIMARY KEY CLUSTERED,
    id         uniqueidentifier      NOT NULL CONSTRAINT UQ_disputes_id UNIQUE NONCLUSTERED,
    order_id   uniqueidentifier      NOT NULL,
    buyer_id   uniqueidentifier      NOT NULL,
    grounds    nvarchar(2000)        NOT NULL,
    status     varchar(16)           NOT NULL,
    refund     bigint                NULL,
    ruling     nvarchar(2000)        NULL,
    ruled_by   uniqueidentifier      NULL,
    filed_at   datetimeoffset(7)     NOT NULL,
    ruled_at   datetimeoffset(7)     NULL
);
GO
CREATE INDEX IX_disputes_status ON settlement.disputes (status, seq);
GO
