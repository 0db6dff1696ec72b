-- The exchange's signing keys (certificates, vouchers), created in every service's schema: the public half of every
-- key ever used, so old documents still verify; the private half only for keys generated outside Production.
CREATE TABLE $schema$.signing_keys (
    key_id      varchar(32)       NOT NULL CONSTRAINT PK_signing_keys PRIMARY KEY CLUSTERED,
    public_key  varchar(400)      NOT NULL,
    private_key varchar(400)      NULL,
    created_at  datetimeoffset(7) NOT NULL
);
GO
