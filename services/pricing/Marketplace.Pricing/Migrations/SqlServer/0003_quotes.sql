-- Quotes: immutable once issued (the plan's terms are copied in), expired by time; a buyer's trial of a product is
-- recorded once, so a second trial quote is refused.
CREATE TABLE pricing.quotes (
    seq          bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_quotes PRIMARY KEY CLUSTERED,
    id           uniqueidentifier      NOT NULL CONSTRAINT UQ_quotes_id UNIQUE NONCLUSTERED,
    request_id   uniqueidentifier      NOT NULL,
    order_id     uniqueidentifier      NOT NULL,
    buyer_id     uniqueidentifier      NOT NULL,
    seller_id    uniqueidentifier      NOT NULL,
    product_id   uniqueidentifier      NOT NULL,
    plan_id      uniqueidentifier      NOT NULL,
    plan_revision int                  NOT NULL,
    plan_terms   nvarchar(max)         NOT NULL,
    fee_schedule int                   NOT NULL,
    quantity     bigint                NOT NULL,
    currency     char(3)               NOT NULL,
    amount       bigint                NOT NULL,
    fee_bps      int                   NOT NULL,
    exchange_fee bigint                NOT NULL,
    vat_bps      int                   NOT NULL,
    tax          bigint                NOT NULL,
    total        bigint                NOT NULL,
    payouts      nvarchar(max)         NOT NULL,
    term_unit    varchar(8)            NOT NULL,
    term_length  int                   NOT NULL,
    status       varchar(16)           NOT NULL,
    issued_at    datetimeoffset(7)     NOT NULL,
    valid_until  datetimeoffset(7)     NOT NULL,
    expired_at   datetimeoffset(7)     NULL
);
GO
CREATE INDEX IX_quotes_buyer ON pricing.quotes (buyer_id, seq);
GO
CREATE INDEX IX_quotes_seller ON pricing.quotes (seller_id, seq);
GO
CREATE INDEX IX_quotes_open ON pricing.quotes (valid_until) WHERE status = 'Issued';
GO
CREATE TABLE pricing.trial_uses (
    buyer_id   uniqueidentifier  NOT NULL,
    product_id uniqueidentifier  NOT NULL,
    quote_id   uniqueidentifier  NOT NULL,
    used_at    datetimeoffset(7) NOT NULL,
    CONSTRAINT PK_trial_uses PRIMARY KEY CLUSTERED (buyer_id, product_id)
);
GO
