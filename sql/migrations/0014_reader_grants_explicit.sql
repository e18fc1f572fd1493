-- 0014_reader_grants_explicit: readers get only what a migration grants them by name.
-- requires: 0010_merchant_isolation (the default privileges this takes back)
-- 0010 let erp_owner's default privileges grant erp_reader SELECT on every later relation in dw.
-- Default privileges on "tables" cover views too, and a view runs with its owner's rights, who is
-- not subject to row level security: a view over a dw fact showed every merchant's rows to a
-- scoped reader. From now on a migration that adds a relation readers may read grants it
-- explicitly (docs/merchant-isolation.md). Grants already made on existing dw tables stay.
-- Functions: PostgreSQL lets PUBLIC execute every new function unless told otherwise; erp_owner's
-- later functions are executable only by the roles their script grants.
-- erp_writer's default privileges on staging and dw tables and sequences are unchanged.

ALTER DEFAULT PRIVILEGES FOR ROLE erp_owner IN SCHEMA dw
    REVOKE SELECT ON TABLES FROM erp_reader;

ALTER DEFAULT PRIVILEGES FOR ROLE erp_owner
    REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- Replaced by sql/functions/ops.merchant_isolation_problems.sql (a repeatable, with more checks).
REVOKE EXECUTE ON FUNCTION ops.merchant_isolation_problems() FROM PUBLIC;
