-- Pricing's read model of listed products (from catalog's events), the providers' price plans with every revision
-- kept, and the operators' fee schedules (append-only: the current one is the highest version).
CREATE TABLE products (
    id         TEXT    NOT NULL PRIMARY KEY,
    owner_id   TEXT    NOT NULL,
    category   TEXT    NOT NULL,
    grade      TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TEXT    NOT NULL
);

CREATE TABLE price_plans (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT    NOT NULL UNIQUE,
    product_id TEXT    NOT NULL,
    owner_id   TEXT    NOT NULL,
    revision   INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    currency   TEXT    NOT NULL,
    terms      TEXT    NOT NULL,
    from_price INTEGER NOT NULL,
    status     TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

CREATE INDEX IX_price_plans_product ON price_plans (product_id, seq);

CREATE TABLE price_plan_revisions (
    plan_id     TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    terms       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    actor_id    TEXT    NOT NULL,
    occurred_at TEXT    NOT NULL,
    PRIMARY KEY (plan_id, revision, action)
);

CREATE TABLE fee_schedules (
    version  INTEGER NOT NULL PRIMARY KEY,
    schedule TEXT    NOT NULL,
    set_by   TEXT    NOT NULL,
    set_at   TEXT    NOT NULL
);
