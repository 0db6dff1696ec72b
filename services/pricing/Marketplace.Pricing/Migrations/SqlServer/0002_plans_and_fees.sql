-- Pricing's read model of listed products (from catalog's events), the providers' price plans with every revision
-- kept, and the operators' fee schedules (append-only: the current one is the highest version).
CREATE TABLE pricing.products (
    id         uniqueidentifier  NOT NULL CONSTRAINT PK_products PRIMARY KEY NONCLUSTERED,
    owner_id   uniqueidentifier  NOT NULL,
    category   varchar(8)        NOT NULL,
    grade      varchar(16)       NOT NULL,
    status     varchar(16)       NOT NULL,
    version    int               NOT NULL,
    updated_at datetimeoffset(7) NOT NULL
);
GO
CREATE TABLE pricing.price_plans (
    seq        bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_price_plans PRIMARY KEY CLUSTERED,
    id         uniqueidentifier      NOT NULL CONSTRAINT UQ_price_plans_id UNIQUE NONCLUSTERED,
    product_id uniqueidentifier      NOT NULL,
    owner_id   uniqueidentifier      NOT NULL,
    revision   int                   NOT NULL,
    kind       varchar(16)           NOT NULL,
    name       nvarchar(100)         NOT NULL,
    currency   char(3)               NOT NULL,
    terms      nvarchar(max)         NOT NULL,
    from_price bigint                NOT NULL,
    status     varchar(16)           NOT NULL,
    version    int                   NOT NULL,
    created_at datetimeoffset(7)     NOT NULL,
    updated_at datetimeoffset(7)     NOT NULL
);
GO
CREATE INDEX IX_price_plans_product ON pricing.price_plans (product_id, seq);
GO
CREATE TABLE pricing.price_plan_revisions (
    plan_id      uniqueidentifier  NOT NULL,
    revision     int               NOT NULL,
    terms        nvarchar(max)     NOT NULL,
    action       varchar(16)       NOT NULL,
    actor_id     uniqueidentifier  NOT NULL,
    occurred_at  datetimeoffset(7) NOT NULL,
    CONSTRAINT PK_price_plan_revisions PRIMARY KEY CLUSTERED (plan_id, revision, action)
);
GO
CREATE TABLE pricing.fee_schedules (
    version  int               NOT NULL CONSTRAINT PK_fee_schedules PRIMARY KEY CLUSTERED,
    schedule nvarchar(max)     NOT NULL,
    set_by   uniqueidentifier  NOT NULL,
    set_at   datetimeoffset(7) NOT NULL
);
GO
