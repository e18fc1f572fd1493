namespace Erp.Db.Migrations.Engine;

/// <summary>
/// The catalog queries that keep plain views across a migration (<see cref="KeptViews"/>,
/// docs/view-rebuilds.md "Plain views"). Names go in as parameters; DDL comes back built by
/// <c>format('%I')</c> and <c>format('%L')</c>.
/// </summary>
internal static class KeptViewSql
{
    /// <summary>
    /// The plain views among the given relations and every view that reads them, directly or not,
    /// that no view script makes (<c>@scriptMade</c>): migration-made reader views and a DBA's own
    /// views. Each with what re-creates it as it is: the <c>CREATE VIEW</c> with its options, the
    /// owner, comments (view and columns), column privileges, the relation privileges as an ACL,
    /// the relations it reads, the table columns it reads, and what it has that migrate cannot
    /// re-create (triggers, rules, column defaults), if anything. Run with <c>search_path</c> set to
    /// <c>pg_catalog</c>, so the definition names every relation with its schema.
    /// </summary>
    public const string Save = ViewRebuildSql.DependentsCte + """
        , kept AS (
            SELECT c.oid, n.nspname, c.relname, c.relowner, c.reloptions, c.relacl,
                   pg_catalog.format('%I.%I', n.nspname, c.relname) AS name
              FROM deps
              JOIN pg_catalog.pg_class AS c ON c.oid = deps.oid AND c.relkind = 'v'
              JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
             WHERE pg_catalog.format('%I.%I', n.nspname, c.relname) <> ALL (@scriptMade::text[])
        )
        SELECT k.name AS Name,
               pg_catalog.format('CREATE VIEW %I.%I%s AS %s', k.nspname, k.relname,
                                 CASE WHEN k.reloptions IS NULL THEN ''
                                      ELSE ' WITH (' || pg_catalog.array_to_string(k.reloptions, ', ') || ')' END,
                                 pg_catalog.regexp_replace(pg_catalog.pg_get_viewdef(k.oid), ';\s*$', '')) AS Create,
               o.rolname::text AS Owner,
               ARRAY(SELECT pg_catalog.format('COMMENT ON VIEW %I.%I IS %L', k.nspname, k.relname, pg_catalog.obj_description(k.oid, 'pg_class'))
                      WHERE pg_catalog.obj_description(k.oid, 'pg_class') IS NOT NULL
                     UNION ALL
                     SELECT pg_catalog.format('COMMENT ON COLUMN %I.%I.%I IS %L', k.nspname, k.relname, a.attname, pg_catalog.col_description(k.oid, a.attnum))
                       FROM pg_catalog.pg_attribute AS a
                      WHERE a.attrelid = k.oid AND a.attnum > 0 AND NOT a.attisdropped AND pg_catalog.col_description(k.oid, a.attnum) IS NOT NULL
                     UNION ALL
                     SELECT pg_catalog.format('GRANT %s (%I) ON %I.%I TO %s%s', p.privilege_type, a.attname, k.nspname, k.relname,
                                              CASE WHEN p.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(g.rolname) END,
                                              CASE WHEN p.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
                       FROM pg_catalog.pg_attribute AS a
                      CROSS JOIN LATERAL pg_catalog.aclexplode(a.attacl) AS p
                       LEFT JOIN pg_catalog.pg_roles AS g ON g.oid = p.grantee
                      WHERE a.attrelid = k.oid AND a.attnum > 0 AND NOT a.attisdropped) AS Details,
               coalesce(k.relacl, pg_catalog.acldefault('r', k.relowner))::text AS Acl,
               ARRAY(SELECT DISTINCT pg_catalog.format('%I.%I', rn.nspname, rc.relname)
                       FROM pg_catalog.pg_rewrite AS r
                       JOIN pg_catalog.pg_depend AS d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
                                                    AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid <> k.oid
                       JOIN pg_catalog.pg_class AS rc ON rc.oid = d.refobjid
                       JOIN pg_catalog.pg_namespace AS rn ON rn.oid = rc.relnamespace
                      WHERE r.ev_class = k.oid) AS Reads,
               ARRAY(SELECT DISTINCT pg_catalog.format('%I.%I', rn.nspname, rc.relname) || '.' || pg_catalog.quote_ident(a.attname)
                       FROM pg_catalog.pg_rewrite AS r
                       JOIN pg_catalog.pg_depend AS d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
                                                    AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid <> k.oid
                                                    AND d.refobjsubid > 0
                       JOIN pg_catalog.pg_class AS rc ON rc.oid = d.refobjid
                       JOIN pg_catalog.pg_namespace AS rn ON rn.oid = rc.relnamespace
                       JOIN pg_catalog.pg_attribute AS a ON a.attrelid = rc.oid AND a.attnum = d.refobjsubid
                      WHERE r.ev_class = k.oid) AS Columns,
               nullif(concat_ws(', ',
                   CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_trigger AS t WHERE t.tgrelid = k.oid) THEN 'triggers' END,
                   CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite AS r WHERE r.ev_class = k.oid AND r.rulename <> '_RETURN') THEN 'rules' END,
                   CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_attrdef AS ad WHERE ad.adrelid = k.oid) THEN 'column defaults' END), '') AS Unkept
          FROM kept AS k
          JOIN pg_catalog.pg_roles AS o ON o.oid = k.relowner
        """;

    /// <summary>
    /// What gives the re-created view <c>@name</c> the privileges of the saved ACL <c>@acl</c>:
    /// REVOKEs of what it has and should not (defaults of the creating role), then GRANTs of what
    /// it lacks. Each GRANT comes with the role to grant as when the saved grantor is not the owner
    /// and the login may act as it (a privilege passed on WITH GRANT OPTION); null grants as the owner.
    /// </summary>
    public const string RestoreAcl = """
        WITH v AS (
            SELECT c.oid, c.relowner, pg_catalog.format('%I.%I', n.nspname, c.relname) AS name, c.relacl
              FROM pg_catalog.pg_class AS c
              JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
             WHERE c.oid = pg_catalog.to_regclass(@name)
        ), have AS (
            SELECT a.* FROM v CROSS JOIN LATERAL pg_catalog.aclexplode(coalesce(v.relacl, pg_catalog.acldefault('r', v.relowner))) AS a
        ), want AS (
            SELECT a.* FROM pg_catalog.aclexplode(@acl::aclitem[]) AS a
        )
        SELECT 1 AS Step, pg_catalog.format('REVOKE %s ON %s FROM %s', h.privilege_type, v.name,
                                            CASE WHEN h.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(g.rolname) END) AS Statement,
               NULL::text AS GrantAs
          FROM have AS h CROSS JOIN v
          LEFT JOIN pg_catalog.pg_roles AS g ON g.oid = h.grantee
         WHERE NOT EXISTS (SELECT 1 FROM want AS w WHERE w.grantee = h.grantee AND w.privilege_type = h.privilege_type)
        UNION ALL
        SELECT 2, pg_catalog.format('GRANT %s ON %s TO %s%s', w.privilege_type, v.name,
                                    CASE WHEN w.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(g.rolname) END,
                                    CASE WHEN w.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END),
               CASE WHEN w.grantor <> v.relowner AND pg_catalog.pg_has_role(session_user, w.grantor, 'MEMBER')
                    THEN (SELECT r.rolname::text FROM pg_catalog.pg_roles AS r WHERE r.oid = w.grantor) END
          FROM want AS w CROSS JOIN v
          LEFT JOIN pg_catalog.pg_roles AS g ON g.oid = w.grantee
         WHERE NOT EXISTS (SELECT 1 FROM have AS h WHERE h.grantee = w.grantee AND h.privilege_type = w.privilege_type
                                                     AND h.is_grantable = w.is_grantable AND h.grantor = w.grantor)
         ORDER BY 1
        """;

    /// <summary>The given relations that are plain views no view script makes (<c>@scriptMade</c>), as <c>schema.name</c>.</summary>
    public const string PlainViews = """
        SELECT pg_catalog.format('%I.%I', n.nspname, c.relname)
          FROM unnest(@names::text[]) AS x(name)
          JOIN pg_catalog.pg_class AS c ON c.oid = pg_catalog.to_regclass(x.name) AND c.relkind = 'v'
          JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
         WHERE pg_catalog.format('%I.%I', n.nspname, c.relname) <> ALL (@scriptMade::text[])
        """;

    /// <summary>
    /// For <c>status</c> and the dry run: each root relation's script (<c>@roots</c>, <c>@scripts</c>) with the plain
    /// views no view script makes (<c>@scriptMade</c>) among the root and the views that read it, directly or not.
    /// </summary>
    public const string KeptReaders = """
        WITH RECURSIVE deps(script, oid) AS (
            -- Matched by name, not to_regclass: status must not fail on a DBA's schema the login may not use.
            SELECT x.script, c.oid
              FROM unnest(@roots::text[], @scripts::text[]) AS x(name, script)
              JOIN pg_catalog.pg_class AS c ON pg_catalog.format('%I.%I', (SELECT n.nspname FROM pg_catalog.pg_namespace AS n WHERE n.oid = c.relnamespace), c.relname) = x.name
            UNION
            SELECT deps.script, r.ev_class
              FROM deps
              JOIN pg_catalog.pg_depend AS d ON d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = deps.oid
                                           AND d.classid = 'pg_catalog.pg_rewrite'::regclass
              JOIN pg_catalog.pg_rewrite AS r ON r.oid = d.objid
        )
        SELECT DISTINCT deps.script, pg_catalog.format('%I.%I', n.nspname, c.relname)
          FROM deps
          JOIN pg_catalog.pg_class AS c ON c.oid = deps.oid AND c.relkind = 'v'
          JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
         WHERE pg_catalog.format('%I.%I', n.nspname, c.relname) <> ALL (@scriptMade::text[])
        """;

    /// <summary>The DROP of a kept view: no CASCADE, so an object migrate does not re-create (a function over its row type) stops it.</summary>
    public const string Drop = """
        SELECT pg_catalog.format('DROP VIEW %I.%I', n.nspname, c.relname)
          FROM pg_catalog.pg_class AS c
          JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
         WHERE c.oid = pg_catalog.to_regclass(@name)
        """;

    /// <summary>True when every given relation exists.</summary>
    public const string AllExist = "SELECT bool_and(pg_catalog.to_regclass(x) IS NOT NULL) IS NOT FALSE FROM unnest(@names::text[]) AS x";

    /// <summary>Of the given <c>schema.table.column</c> names (as <see cref="Save"/> wrote them), the ones that no longer exist.</summary>
    public const string MissingColumns = """
        SELECT x.col
          FROM unnest(@columns::text[]) AS x(col)
         WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS a
                            WHERE a.attrelid = pg_catalog.to_regclass(pg_catalog.substring(x.col, '^(.*)\.[^.]+$'))
                              AND pg_catalog.quote_ident(a.attname) = pg_catalog.substring(x.col, '\.([^.]+)$') AND NOT a.attisdropped)
        """;
}
