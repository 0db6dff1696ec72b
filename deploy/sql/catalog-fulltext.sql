-- The catalog's full-text index on SQL Server, run once by a database owner after the catalog's migrations
-- (CREATE FULLTEXT INDEX cannot run inside a transaction, so it is not a migration). LANGUAGE 2052 is
-- Simplified Chinese: SQL Server's word breaker splits Chinese text itself; English words are stemmed by
-- FORMSOF(INFLECTIONAL, …) in the queries.
USE marketplace;
GO
IF NOT EXISTS (SELECT 1 FROM sys.fulltext_catalogs WHERE name = N'catalog_search')
    CREATE FULLTEXT CATALOG catalog_search;
GO
IF NOT EXISTS (SELECT 1 FROM sys.fulltext_indexes WHERE object_id = OBJECT_ID(N'catalog.product_search'))
    CREATE FULLTEXT INDEX ON catalog.product_search (title LANGUAGE 2052, body LANGUAGE 2052)
        KEY INDEX PK_product_search ON catalog_search
        WITH CHANGE_TRACKING AUTO;
GO
