-- 0001_schemas: the four layers of the warehouse and the migration journal.
-- requires: nothing (first migration). The journal lives here because the runner records every
-- later script in it, including this one, right after it runs.

CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS dw;
CREATE SCHEMA IF NOT EXISTS mart;
CREATE SCHEMA IF NOT EXISTS ops;

COMMENT ON SCHEMA staging IS 'ODS layer: raw landing tables for imports, before cleaning. Written by erp_writer.';
COMMENT ON SCHEMA dw IS 'DWD layer: dim_* and fact_* tables at daily grain, and A-class configuration. Written by erp_writer.';
COMMENT ON SCHEMA mart IS 'DWS layer: materialized views mv_* and C-class result tables. Written only by refresh functions.';
COMMENT ON SCHEMA ops IS 'Operations: migration journal, view registry, refresh log, invalidations. Written through functions.';

CREATE TABLE IF NOT EXISTS ops.schema_journal (
    journal_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    script_name  text        NOT NULL,
    script_kind  text        NOT NULL CHECK (script_kind IN ('migration', 'function', 'view')),
    sha256       text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    applied_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    duration_ms  numeric(12, 3) NOT NULL CHECK (duration_ms >= 0),
    applied_by   text        NOT NULL DEFAULT session_user
);

-- Repeatable scripts are journaled each time they run; the newest row per name is the state.
CREATE INDEX IF NOT EXISTS schema_journal_name_idx ON ops.schema_journal (script_name, journal_id DESC);

COMMENT ON TABLE ops.schema_journal IS 'Every script erpdb migrate applied: name, kind, SHA-256 of its text, when, how long. Append-only.';
COMMENT ON COLUMN ops.schema_journal.sha256 IS 'SHA-256 of the script text as embedded (line endings normalized to LF); a changed hash on a migration is drift.';
COMMENT ON COLUMN ops.schema_journal.duration_ms IS 'Time the script took, measured inside its transaction (clock_timestamp() - now()).';
