-- Pricing quotes amount, fee, tax and term; settlement splits the proceeds by the holders' shares rights' decision
-- carries (the quote is asked for in parallel with that decision), so a quote no longer stores a split.
ALTER TABLE pricing.quotes DROP COLUMN payouts;
GO
