-- 0045_payment_receivables_resolved_per_batch: the payment import finds the receivables of a whole
-- file in one join (docs/business-flows.md, Payments), so the per-row look-up dw.find_receivable
-- has no caller left.
-- requires: nothing (the function may be absent on a database that never ran its script)
-- Called once per row, it scanned the merchant's receivables and their orders for every payment
-- matched by order number (orders are indexed by shop and number, not by number alone): 2,000
-- payments took 67 s on a 200,000-order warehouse.

DROP FUNCTION IF EXISTS dw.find_receivable(bigint, text, text);
