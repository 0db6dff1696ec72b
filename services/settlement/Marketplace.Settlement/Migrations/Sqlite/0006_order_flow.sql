-- The order flow in one hop each way: an order waits on the exchange only while Requested or AwaitingQuote (Settled is
-- gone: acceptance completes the trade). Upgrade with no order left Settled by the previous flow.
DROP INDEX IX_orders_buyer_in_progress;
CREATE INDEX IX_orders_buyer_in_progress ON orders (buyer_id) WHERE status IN ('Requested', 'AwaitingQuote');
