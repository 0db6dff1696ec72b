-- Exclusivity is checked on every access decision and every licence issued: seek the live licences of a product by
-- exclusivity as well, so the check costs the same with ten licences on the product or a hundred thousand.
DROP INDEX IX_licences_product;
CREATE INDEX IX_licences_product ON licences (product_id, status, exclusive, ends_at);
