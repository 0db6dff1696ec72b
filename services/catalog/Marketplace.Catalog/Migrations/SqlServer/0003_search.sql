-- The search index: one row per listed product (its listed revision). Full-text search runs over title and body
-- with SQL Server's own Chinese word breaker (LANGUAGE 2052). The full-text index itself cannot be created inside
-- the migration's transaction: deploy/sql/catalog-fulltext.sql creates it, once, after this migration.
CREATE TABLE catalog.product_search (
    seq        bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_product_search PRIMARY KEY CLUSTERED,
    product_id uniqueidentifier      NOT NULL CONSTRAINT UQ_product_search_product UNIQUE NONCLUSTERED,
    owner_id   uniqueidentifier      NOT NULL,
    title      nvarchar(200)         NOT NULL,
    body       nvarchar(max)         NOT NULL,
    category   char(1)               NOT NULL,
    subject    varchar(16)           NOT NULL,
    grade      varchar(16)           NOT NULL,
    delivery   int                   NOT NULL,
    min_price  bigint                NULL,
    listed_at  datetimeoffset(7)     NOT NULL
);
GO
CREATE INDEX IX_product_search_category ON catalog.product_search (category, seq);
GO
CREATE INDEX IX_product_search_owner ON catalog.product_search (owner_id, seq);
GO
CREATE INDEX IX_product_search_price ON catalog.product_search (min_price, seq);
GO
