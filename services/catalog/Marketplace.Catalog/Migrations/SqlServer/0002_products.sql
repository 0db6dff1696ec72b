-- Data products: the product (its listing state and which revision is listed or pending), its revisions (content as
-- JSON, never changed once submitted), and its history (every transition and review decision: who, what, when).
CREATE TABLE catalog.products (
    seq              bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_products PRIMARY KEY CLUSTERED,
    id               uniqueidentifier      NOT NULL CONSTRAINT UQ_products_id UNIQUE NONCLUSTERED,
    owner_id         uniqueidentifier      NOT NULL,
    listing          varchar(16)           NOT NULL,
    listed_revision  int                   NULL,
    pending_revision int                   NULL,
    pending_state    varchar(16)           NULL,
    status_reason    nvarchar(500)         NULL,
    version          int                   NOT NULL,
    created_at       datetimeoffset(7)     NOT NULL,
    updated_at       datetimeoffset(7)     NOT NULL
);
GO
CREATE INDEX IX_products_owner ON catalog.products (owner_id, seq);
GO
CREATE INDEX IX_products_review_queue ON catalog.products (pending_state, seq) WHERE pending_state IS NOT NULL;
GO
CREATE TABLE catalog.product_revisions (
    product_id uniqueidentifier  NOT NULL,
    revision   int               NOT NULL,
    content    nvarchar(max)     NOT NULL,
    created_at datetimeoffset(7) NOT NULL,
    updated_at datetimeoffset(7) NOT NULL,
    CONSTRAINT PK_product_revisions PRIMARY KEY CLUSTERED (product_id, revision)
);
GO
CREATE TABLE catalog.product_history (
    seq         bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_product_history PRIMARY KEY CLUSTERED,
    product_id  uniqueidentifier      NOT NULL,
    version     int                   NOT NULL,
    action      varchar(32)           NOT NULL,
    revision    int                   NULL,
    detail      nvarchar(max)         NULL,
    actor_id    uniqueidentifier      NOT NULL,
    occurred_at datetimeoffset(7)     NOT NULL,
    CONSTRAINT UQ_product_history UNIQUE (product_id, version)
);
GO
