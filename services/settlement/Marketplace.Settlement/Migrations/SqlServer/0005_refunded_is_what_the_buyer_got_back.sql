-- An order's refunded amount is what the buyer got back in all: for a full refund, the whole total (fee and tax
-- included), as disputes and the daily report always counted it; orders refunded in full before recorded only the
-- holders' part.
UPDATE settlement.orders SET refunded = total WHERE status = 'Refunded' AND total IS NOT NULL;
GO
