-- The exchange's signing keys (certificates, vouchers), created in every service's file: the public half of every
-- key ever used, so old documents still verify; the private half only for keys generated outside Production.
CREATE TABLE signing_keys (
    key_id      TEXT NOT NULL PRIMARY KEY,
    public_key  TEXT NOT NULL,
    private_key TEXT NULL,
    created_at  TEXT NOT NULL
);
