-- What became of a completed trade's licence, as rights reports it (suspended, reinstated, revoked, expired), and when.
ALTER TABLE orders ADD COLUMN licence_status TEXT NULL;
ALTER TABLE orders ADD COLUMN licence_status_at TEXT NULL;
UPDATE orders SET licence_status = 'Active', licence_status_at = completed_at WHERE licence_id IS NOT NULL;
