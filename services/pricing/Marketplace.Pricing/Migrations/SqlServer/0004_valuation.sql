-- Settled trades (from settlement's events) are the comparables for the market method and price guidance;
-- valuations keep their inputs, every step and the value.
CREATE TABLE pricing.settled_trades (
    seq        bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_settled_trades PRIMARY KEY CLUSTERED,
    order_id   uniqueidentifier      NOT NULL CONSTRAINT UQ_settled_trades_order UNIQUE NONCLUSTERED,
    product_id uniqueidentifier      NOT NULL,
    category   varchar(8)            NOT NULL,
    grade      varchar(16)           NOT NULL,
    quantity   bigint                NOT NULL,
    currency   char(3)               NOT NULL,
    amount     bigint                NOT NULL,
    settled_at datetimeoffset(7)     NOT NULL
);
GO
CREATE INDEX IX_settled_trades_category ON pricing.settled_trades (category, currency, settled_at) INCLUDE (amount, product_id);
GO
CREATE TABLE pricing.valuations (
    seq        bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_valuations PRIMARY KEY CLUSTERED,
    id         uniqueidentifier      NOT NULL CONSTRAINT UQ_valuations_id UNIQUE NONCLUSTERED,
    product_id uniqueidentifier      NOT NULL,
    method     varchar(16)           NOT NULL,
    currency   char(3)               NOT NULL,
    value      bigint                NOT NULL,
    inputs     nvarchar(max)         NOT NULL,
    steps      nvarchar(max)         NOT NULL,
    valued_by  uniqueidentifier      NOT NULL,
    valued_at  datetimeoffset(7)     NOT NULL
);
GO
CREATE INDEX IX_valuations_product ON pricing.valuations (product_id, method, seq);
GO
