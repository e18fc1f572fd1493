-- 0076_schema_object_columns_and_privileges: ops.schema_objects records, besides indexes, triggers, constraints and policies, the
-- NOT NULL and DEFAULT of every column and the privileges erp_owner, erp_reader, erp_writer and PUBLIC hold on the tables, views
-- and functions of staging, dw, mart and ops, so that erpdb doctor, status and verify notice one dropped or granted by hand
-- (docs/doctor.md, ERPDB020).
-- requires: 0074_schema_objects (ops.schema_objects)
-- A new constraint name, so that erpdb tells a table that takes the new kinds from one migrated only to 0074.

ALTER TABLE ops.schema_objects DROP CONSTRAINT schema_objects_kind_known;
ALTER TABLE ops.schema_objects ADD CONSTRAINT schema_objects_kind_listed
    CHECK (object_kind IN ('index', 'trigger', 'constraint', 'policy', 'row level security', 'not null', 'default', 'privilege'));

COMMENT ON TABLE ops.schema_objects IS 'The indexes, triggers, constraints, policies, row level security flags, column NOT NULLs and defaults of the tables and materialized views in staging, dw, mart and ops (not partitions), and the privileges erp_owner, erp_reader, erp_writer and PUBLIC hold on their tables, views and functions, as erpdb migrate left them; erpdb doctor, status and verify report one missing, changed or (a privilege) added since (ERPDB020). Delete a row to accept a change made by hand.';
COMMENT ON COLUMN ops.schema_objects.table_name IS 'The table or materialized view, schema-qualified (e.g. dw.fact_expenses); for object_kind privilege, the table, view or function (with its argument types) the privilege is on.';
COMMENT ON COLUMN ops.schema_objects.object_name IS 'The index, trigger, constraint or policy name; for not null and default, the column; for privilege, the privilege and its grantee (SELECT to erp_reader); for row level security, the table name again.';
COMMENT ON COLUMN ops.schema_objects.definition IS 'The statement that makes the object again, read with search_path = pg_catalog (every name qualified): CREATE INDEX, CREATE TRIGGER, ALTER TABLE ... ADD CONSTRAINT, CREATE POLICY, ALTER TABLE ... ENABLE (and FORCE) ROW LEVEL SECURITY, ALTER TABLE ... ALTER COLUMN ... SET NOT NULL or SET DEFAULT, or GRANT.';
