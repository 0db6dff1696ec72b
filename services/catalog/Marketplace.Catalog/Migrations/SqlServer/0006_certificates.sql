-- Catalog's read model of rights' registration certificates: which products' rights are certified now, so a product
-- shows its certificates (numbers anyone can verify with rights) and search can find the certified ones.
CREATE TABLE catalog.certificates (
    number          varchar(32)       NOT NULL CONSTRAINT PK_certificates PRIMARY KEY,
    registration_id uniqueidentifier  NOT NULL,
    product_id      uniqueidentifier  NOT NULL,
    version         int               NOT NULL,
    rights          varchar(64)       NOT NULL,
    valid_until     datetimeoffset(7) NOT NULL,
    status          varchar(16)       NOT NULL,
    updated_at      datetimeoffset(7) NOT NULL
);
GO
CREATE INDEX IX_certificates_product ON catalog.certificates (product_id, status);
GO
ALTER TABLE catalog.product_search ADD certified bit NOT NULL CONSTRAINT DF_product_search_certified DEFAULT 0;
GO
