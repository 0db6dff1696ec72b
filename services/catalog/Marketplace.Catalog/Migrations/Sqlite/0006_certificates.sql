-- Catalog's read model of rights' registration certificates: which products' rights are certified now, so a product
-- shows its certificates (numbers anyone can verify with rights) and search can find the certified ones.
CREATE TABLE certificates (
    number          TEXT    NOT NULL PRIMARY KEY,
    registration_id TEXT    NOT NULL,
    product_id      TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    rights          TEXT    NOT NULL,
    valid_until     TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX IX_certificates_product ON certificates (product_id, status);
ALTER TABLE product_search ADD COLUMN certified INTEGER NOT NULL DEFAULT 0;
