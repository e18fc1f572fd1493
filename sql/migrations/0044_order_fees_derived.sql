-- 0044_order_fees_derived: order fees are no longer stored as expense rows; dw.order_fee_expenses
-- derives them from the orders (docs/business-flows.md).
-- requires: 0006_facts_inventory_finance (dw.fact_expenses), 0017_business_flows (posting)
-- Removes the rows posting wrote (reference order:<order_id>:<category>, which nothing else
-- writes) and the function that wrote them. Expenses imported with an order_id keep it.

DELETE FROM dw.fact_expenses AS e
WHERE e.order_id IS NOT NULL
  AND e.category IN ('platform_fee', 'payment_fee', 'logistics')
  AND e.reference_no = format('order:%s:%s', e.order_id, e.category);

DROP FUNCTION IF EXISTS dw.post_order_expenses(dw.order_ref[]);
