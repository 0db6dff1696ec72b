-- The last review decision on the pending revision (the checklist with each failed item's reason), so a rejection's
-- reasons are readable on the product itself, not only in its history.
ALTER TABLE catalog.products ADD pending_review nvarchar(max) NULL;
GO
