-- The search index: one row per listed product (its listed revision), and an FTS5 table over its tokens
-- (CJK bigrams and porter-stemmed words, made by SearchText; the rowid is product_search.seq).
CREATE TABLE product_search (
    seq        INTEGER PRIMARY KEY,
    product_id TEXT    NOT NULL UNIQUE,
    owner_id   TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    category   TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    grade      TEXT    NOT NULL,
    delivery   INTEGER NOT NULL,
    min_price  INTEGER NULL,
    listed_at  TEXT    NOT NULL
);
CREATE INDEX IX_product_search_category ON product_search (category, seq);
CREATE INDEX IX_product_search_owner ON product_search (owner_id, seq);
CREATE INDEX IX_product_search_price ON product_search (min_price, seq);
CREATE VIRTUAL TABLE product_fts USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2');
