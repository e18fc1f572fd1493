-- dw.customer_segment: the one definition of a customer's segment on a given day.
-- requires: nothing
-- First match wins:
--   churned  no order in the 90 days before as_of
--   vip      lifetime spend >= the platinum level's threshold (is_vip, computed by the caller)
--   new      first order within the 30 days before as_of
--   repeat   2 or more orders
--   one_time otherwise (one order, placed 30 to 90 days ago)
-- mart.mv_customer_segments computes it when it recomputes a customer, and again for every row
-- when a refresh runs on a later day (only the rows whose segment changes are written).
-- A single-expression IMMUTABLE SQL function, so PostgreSQL inlines it.

CREATE OR REPLACE FUNCTION dw.customer_segment(first_order_date date, last_order_date date, order_count bigint, is_vip boolean, as_of date)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT CASE
               WHEN last_order_date < as_of - 90 THEN 'churned'
               WHEN is_vip THEN 'vip'
               WHEN first_order_date >= as_of - 30 THEN 'new'
               WHEN order_count >= 2 THEN 'repeat'
               ELSE 'one_time'
           END
$$;

COMMENT ON FUNCTION dw.customer_segment(date, date, bigint, boolean, date) IS
    'A customer''s segment on day as_of, first match wins: churned (no order in the 90 days before), vip (is_vip: spend >= the platinum threshold), new (first order within 30 days), repeat (2+ orders), one_time. The one definition mart.mv_customer_segments uses.';
REVOKE EXECUTE ON FUNCTION dw.customer_segment(date, date, bigint, boolean, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.customer_segment(date, date, bigint, boolean, date) TO erp_reader, erp_writer;
