-- dw.is_open_receivable: whether a receivable of this status is still owed: open, partially_paid or
-- overdue; paid, written_off and cancelled ones owe nothing.
-- requires: nothing
-- The one rule that aging (dw.receivable_aging_bucket) and finance's outstanding and overdue
-- (mart.mv_financial_daily) share. Named to sort before the functions that call it: function scripts
-- run by name, and a SQL function's body is checked when it is created. A plain SQL expression
-- without SET: the planner inlines it, and inlines it again inside the functions it is inlined into.

CREATE OR REPLACE FUNCTION dw.is_open_receivable(status text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT status IN ('open', 'partially_paid', 'overdue')
$$;

COMMENT ON FUNCTION dw.is_open_receivable(text) IS
    'True when a receivable of this status is still owed (open, partially_paid, overdue): the rule aging and finance''s outstanding and overdue share.';
REVOKE EXECUTE ON FUNCTION dw.is_open_receivable(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.is_open_receivable(text) TO erp_writer, erp_reader;
