-- What became of a completed trade's licence, as rights reports it (suspended, reinstated, revoked, expired), and when.
ALTER TABLE settlement.orders ADD licence_status varchar(16) NULL, licence_status_at datetimeoffset(7) NULL;
GO
UPDATE settlement.orders SET licence_status = 'Active', licence_status_at = completed_at WHERE licence_id IS NOT NULL;
GO
