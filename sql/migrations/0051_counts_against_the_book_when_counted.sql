-- 0051_counts_against_the_book_when_counted: a stock count now adjusts the book as it stood when
-- counted, not as it stands when the count is posted (dw.post_stock_counts; docs/business-flows.md):
-- the column that records that book says so.
-- requires: 0017_business_flows (dw.fact_stock_counts)

COMMENT ON COLUMN dw.fact_stock_counts.book_quantity IS 'Book balance (on hand - shortage) as it stood at counted_at: the position''s on-hand movements after counted_at left out. The count''s adjustment is counted_quantity - book_quantity, none when a later count of the position was posted before it. NULL until posted.';
