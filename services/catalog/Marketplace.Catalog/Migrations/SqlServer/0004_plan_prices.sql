-- Catalog's read model of pricing's published plans: each plan's entry price, so search can show and sort by a
-- product's cheapest price (product_search.min_price, in CNY fen).
CREATE TABLE catalog.plan_prices (
    plan_id    uniqueidentifier  NOT NULL CONSTRAINT PK_plan_prices PRIMARY KEY NONCLUSTERED,
    product_id uniqueidentifier  NOT NULL,
    revision   int               NOT NULL,
    currency   char(3)           NOT NULL,
    from_price bigint            NOT NULL,
    active     bit               NOT NULL,
    updated_at datetimeoffset(7) NOT NULL
);
GO
CREATE CLUSTERED INDEX IX_plan_prices_product ON catalog.plan_prices (product_id);
GO
