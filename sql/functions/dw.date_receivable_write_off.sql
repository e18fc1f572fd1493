-- dw.date_receivable_write_off: row trigger on dw.fact_accounts_receivable (BEFORE INSERT, and BEFORE UPDATE OF status) that
-- dates a write-off: written_off_at is now() when the status becomes written_off (or the time the same statement gives it),
-- NULL when the status leaves written_off. Its triggers fire only when the status enters or leaves written_off
-- (0081_receivable_write_offs_dated). mart.receivables_as_of reads the date: as of an earlier day, the receivable counts as
-- it stood then.
-- requires: dw.fact_accounts_receivable.written_off_at (0081_receivable_write_offs_dated)

CREATE OR REPLACE FUNCTION dw.date_receivable_write_off()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.written_off_at := CASE WHEN NEW.status = 'written_off' THEN coalesce(NEW.written_off_at, now()) END;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION dw.date_receivable_write_off() IS
    'Trigger: dates a receivable''s write-off (written_off_at = now(), unless the statement gives it) when its status becomes written_off, and clears it when the status leaves written_off.';
REVOKE EXECUTE ON FUNCTION dw.date_receivable_write_off() FROM PUBLIC;
