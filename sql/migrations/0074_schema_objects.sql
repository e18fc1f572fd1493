-- 0074_schema_objects: the indexes, triggers, constraints, row level security policies and flags that erpdb migrate left in
-- the schemas staging, dw, mart and ops, so that erpdb doctor notices one dropped or changed by hand (docs/doctor.md, ERPDB020).
-- requires: 0001_schemas (schema ops, ops.schema_journal), 0002_roles (erp_owner)
-- Written by erpdb migrate at the end of every successful run, read by erpdb doctor. It holds catalog definitions only, no
-- merchant data; only erp_owner reads it all the same (the definitions name every policy and index).

CREATE TABLE ops.schema_objects (
    object_kind  text        NOT NULL,
    table_name   text        NOT NULL,
    object_name  text        NOT NULL,
    definition   text        NOT NULL,
    journal_id   bigint      NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT schema_objects_pkey PRIMARY KEY (object_kind, table_name, object_name),
    CONSTRAINT schema_objects_kind_known CHECK (object_kind IN ('index', 'trigger', 'constraint', 'policy', 'row level security'))
);

REVOKE ALL ON ops.schema_objects FROM PUBLIC;

COMMENT ON TABLE ops.schema_objects IS 'The indexes, triggers, constraints, policies and row level security flags of the tables and materialized views in staging, dw, mart and ops (not partitions) as erpdb migrate left them; erpdb doctor reports one missing or changed since (ERPDB020). Delete a row to accept a change made by hand.';
COMMENT ON COLUMN ops.schema_objects.table_name IS 'The table or materialized view, schema-qualified (e.g. dw.fact_expenses).';
COMMENT ON COLUMN ops.schema_objects.object_name IS 'The index, trigger, constraint or policy name; for object_kind row level security, the table name again.';
COMMENT ON COLUMN ops.schema_objects.definition IS 'The statement that makes the object again, read with search_path = pg_catalog (every name qualified): CREATE INDEX, CREATE TRIGGER, ALTER TABLE ... ADD CONSTRAINT, CREATE POLICY, or ALTER TABLE ... ENABLE (and FORCE) ROW LEVEL SECURITY.';
COMMENT ON COLUMN ops.schema_objects.journal_id IS 'The newest ops.schema_journal row when recorded: once scripts ran after it (a failed migrate, erpdb script), doctor does not compare until the next migrate records again.';
