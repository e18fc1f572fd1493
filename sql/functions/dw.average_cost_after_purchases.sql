-- dw.average_cost_after_purchases: the weighted-average unit cost (CNY) of a stock position after the
-- purchase changes of one posting pass: units taken back, units re-priced, units received.
-- requires: nothing but arithmetic; dw.apply_inventory_movements calls it per position it moves
-- The rule (docs/business-flows.md, "Purchases corrected by a re-import"), with H = quantity_on_hand
-- and A = average_unit_cost before the pass, so the stock is worth H x A:
--   1. taken back (a purchase moved to another product or warehouse, or its quantity lowered): the
--      units leave at the unit cost they were posted with; H1 = H - taken back (at least 0), worth
--      H x A - their value (at least 0; 0 when nothing is left).
--   2. re-priced (units of a purchase that stay, whose unit cost changed): their value difference
--      (units x (new - old cost)) enters the stock, but only for the share of them still on hand,
--      min(H1, units) / units: the rest shipped at the average of its day, with the orders that took it.
--   3. received (new purchases, moved here, quantity raised): weighted in at their cost.
--   A = (value after 1 and 2 + value received) / (H1 + units received), rounded to 4 places; with no
--   units left to value, A stays.
-- Only receipts (the common case) give (H x A + value received) / (H + units received), the plain
-- weighted average. An IMMUTABLE one-expression SQL function: PostgreSQL inlines it into the caller.

CREATE OR REPLACE FUNCTION dw.average_cost_after_purchases(
    on_hand numeric, average numeric,
    taken_back numeric, taken_back_value numeric,
    repriced numeric, repriced_value numeric,
    received numeric, received_value numeric)
RETURNS numeric
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT CASE WHEN greatest(on_hand - taken_back, 0) + received > 0 THEN round(
        (CASE WHEN on_hand > taken_back THEN greatest(
             greatest(on_hand * average - taken_back_value, 0)
             + CASE WHEN repriced > 0 THEN repriced_value * least(on_hand - taken_back, repriced) / repriced ELSE 0 END, 0)
         ELSE 0 END
         + received_value)
        / (greatest(on_hand - taken_back, 0) + received), 4)
    ELSE average END
$$;

COMMENT ON FUNCTION dw.average_cost_after_purchases(numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Weighted-average unit cost of a position after purchases taken back (at their posted cost), re-priced (the value difference of the share still on hand) and received (at their cost); the average stays when no units are left. See docs/business-flows.md.';
REVOKE EXECUTE ON FUNCTION dw.average_cost_after_purchases(numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.average_cost_after_purchases(numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric) TO erp_writer;
