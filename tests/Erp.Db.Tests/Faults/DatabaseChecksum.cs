using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Faults;

/// <summary>Row counts and an md5 of every table and materialized view in staging, dw, mart and ops: equal checksums, unchanged database.</summary>
internal static class DatabaseChecksum
{
    public static async Task<string> ReadAsync(TestDatabase db)
    {
        var relations = await db.ScalarAsync<string[]>("""
            SELECT array_agg(format('%I.%I', n.nspname, c.relname) ORDER BY n.nspname, c.relname)
              FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname IN ('staging', 'dw', 'mart', 'ops') AND c.relkind IN ('r', 'm') AND c.relispopulated
            """) ?? [];
        var parts = new List<string>();
        foreach (var relation in relations)
        {
            parts.Add(relation + "=" + await db.ScalarAsync<string>(
                $"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {relation} AS t"));
        }
        return string.Join("\n", parts);
    }
}
