using System.Text.Json;
using System.Text.RegularExpressions;
using Erp.Db.Migrations;
using Erp.Db.Tests.Faults;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Migrations;
using Npgsql;

namespace Erp.Db.Tests.Cli;

public class SchemaCommandsTests
{
    /// <summary>
    /// A fresh migrate applies every script once, leaves the schemas to erp_owner and reports each script as the journal records it
    /// (time, duration, checksum); a second applies nothing, and verify passes. Concurrent migrates: ConcurrencyTests; the table of a
    /// fresh migrate: <see cref="Migrate_of_a_fresh_database_as_a_table_lists_each_script_on_one_line_within_80_columns"/>.
    /// </summary>
    [Fact]
    public async Task Migrate_twice_applies_everything_once_as_the_journal_records_it_and_verify_then_passes()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();

        var before = await CliRun.RunAsync("verify", "--connection", db.ConnectionString);
        var first = await CliRun.RunAsync("migrate", "--connection", db.ConnectionString, "--format", "json");
        var second = await CliRun.RunAsync("migrate", "--connection", db.ConnectionString, "--format", "table");
        var verify = await CliRun.RunAsync("verify", "--connection", db.ConnectionString);

        Assert.Equal(3, before.ExitCode);
        Assert.Equal(0, first.ExitCode);
        Assert.True(first.Json().GetProperty("success").GetBoolean());
        Assert.True(first.Json().GetProperty("meta").GetProperty("executionMs").GetDouble() > 0);
        var applied = first.Json().GetProperty("data").GetProperty("applied").EnumerateArray().ToList();
        Assert.Equal(ScriptCatalog.Embedded().Scripts.Count, applied.Count);
        Assert.All(applied, s => Assert.Equal("applied", s.GetProperty("state").GetString()));
        var schemas = applied.Single(s => s.GetProperty("name").GetString() == "migrations/0001_schemas.sql");
        Assert.Equal(await db.ScalarAsync<DateTime>("SELECT applied_at FROM ops.schema_journal WHERE script_name = 'migrations/0001_schemas.sql'"),
            schemas.GetProperty("appliedAt").GetDateTimeOffset().UtcDateTime);
        Assert.Equal(await db.ScalarAsync<decimal>("SELECT duration_ms FROM ops.schema_journal WHERE script_name = 'migrations/0001_schemas.sql'"),
            schemas.GetProperty("durationMs").GetDecimal());
        Assert.Equal(await db.ScalarAsync<string>("SELECT sha256 FROM ops.schema_journal WHERE script_name = 'migrations/0001_schemas.sql'"),
            schemas.GetProperty("appliedSha256").GetString());
        Assert.Equal(ScriptCatalog.Embedded().Scripts.Count, await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal WHERE sha256 !~ '^[0-9a-f]{64}$' OR duration_ms < 0"));
        Assert.Equal("erp_owner", await db.ScalarAsync<string>("SELECT pg_get_userbyid(nspowner)::text FROM pg_namespace WHERE nspname = 'dw'"));
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("Nothing to apply", second.Output);
        Assert.Equal(0, verify.ExitCode);
    }

    [Fact]
    public async Task Drift_makes_verify_exit_4_status_report_it_and_migrate_refuse()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync("UPDATE ops.schema_journal SET sha256 = repeat('0', 64) WHERE script_name = 'migrations/0001_schemas.sql'");

        var verify = await CliRun.RunAsync("verify", "--connection", db.ConnectionString);
        var status = await CliRun.RunAsync("status", "--connection", db.ConnectionString, "--format", "json");
        var table = await CliRun.RunAsync("status", "--connection", db.ConnectionString, "--format", "table");
        var csv = await CliRun.RunAsync("status", "--connection", db.ConnectionString, "--format", "csv");
        var migrate = await CliRun.RunAsync("migrate", "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(4, verify.ExitCode);
        var drifted = status.Json().GetProperty("data").GetProperty("scripts").EnumerateArray()
            .Single(s => s.GetProperty("state").GetString() == "drifted");
        Assert.Equal("migrations/0001_schemas.sql", drifted.GetProperty("name").GetString());
        // The table says why, not only that it drifted; CSV has the JSON's raw values, the reason among them.
        var reason = drifted.GetProperty("reason").GetString()!;
        Assert.Contains(table.Output.Split('\n'), l => l.StartsWith("drifted", StringComparison.Ordinal) && l.Contains("migrations/0001_schemas.sql", StringComparison.Ordinal));
        Assert.Contains(reason, Regex.Replace(table.Output, @"\s+", " "), StringComparison.Ordinal);
        Assert.StartsWith("name,kind,state,sha256,appliedSha256,appliedAt,durationMs,reason", csv.Csv(), StringComparison.Ordinal);
        Assert.Contains(reason, csv.Csv(), StringComparison.Ordinal);
        Assert.Equal(1, migrate.ExitCode);
        Assert.False(migrate.Json().GetProperty("success").GetBoolean());
        Assert.Equal("DRIFT", migrate.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("migrations/0001_schemas.sql", migrate.Json().GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_librarys_log_lines_reach_stderr_one_line_each_as_erpdb_notes()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();

        var run = await CliRun.RunAsync(new Dictionary<string, string> { ["ERPDB_LOG_LEVEL"] = "Information" },
            "status", "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("erpdb: info: ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => Regex.IsMatch(l, @"^(trce|dbug|info|warn|fail|crit): "));
    }

    [Fact]
    public async Task Status_as_a_table_fits_80_columns_and_names_each_script_to_run_or_drifted_with_why()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var longest = ScriptCatalog.Embedded().Scripts.MaxBy(s => s.Name.Length)!.Name;
        await db.ExecuteAsync($"""
            UPDATE ops.schema_journal SET sha256 = repeat('0', 64)
             WHERE script_name IN ('migrations/0001_schemas.sql', 'views/mart.mv_daily_sales.sql');
            DELETE FROM ops.schema_journal WHERE script_name IN ('{longest}', 'functions/ops.view_status.sql');
            """);
        var columns80 = new Dictionary<string, string> { ["COLUMNS"] = "80" };

        var table = await CliRun.RunAsync(columns80, "status", "--connection", db.ConnectionString, "--format", "table");
        var json = await CliRun.RunAsync(columns80, "status", "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(0, table.ExitCode);
        var lines = table.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        var listed = json.Json().GetProperty("data").GetProperty("scripts").EnumerateArray()
            .Where(s => s.GetProperty("state").GetString() != "applied").ToList();
        Assert.True(listed.Count >= 6, $"{listed.Count} scripts not applied");
        var prose = Regex.Replace(table.Output, @"\s+", " ");
        foreach (var script in listed)
        {
            var name = script.GetProperty("name").GetString()!;
            var state = script.GetProperty("state").GetString()!;
            Assert.Contains(lines, l => l.StartsWith(state, StringComparison.Ordinal) && l.EndsWith(" " + name, StringComparison.Ordinal));
            Assert.Contains(script.GetProperty("reason").GetString()!, prose, StringComparison.Ordinal);
        }
        Assert.Contains(lines, l => l.EndsWith(" " + longest, StringComparison.Ordinal));
        // Horizontal, with the applied scripts counted rather than listed.
        Assert.DoesNotContain(lines, l => l.StartsWith("Script", StringComparison.Ordinal) && l.Contains(" : ", StringComparison.Ordinal));
        Assert.DoesNotContain("migrations/0002_roles.sql", table.Output, StringComparison.Ordinal);
        Assert.Contains($"{ScriptCatalog.Embedded().Scripts.Count - listed.Count} of {ScriptCatalog.Embedded().Scripts.Count} scripts applied", prose, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_of_a_fresh_database_as_a_table_lists_each_script_on_one_line_within_80_columns()
    {
        // With its kind and applied-time columns the table was too wide for 80 columns and printed vertically: 900 lines.
        await using var db = await TestDatabase.CreateEmptyAsync();
        var scripts = ScriptCatalog.Embedded().Scripts;

        var run = await CliRun.RunAsync(new Dictionary<string, string> { ["COLUMNS"] = "80" }, "migrate", "--connection", db.ConnectionString, "--format", "table");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var lines = run.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        Assert.All(scripts, s => Assert.Single(lines, l => l.StartsWith(s.Name + " ", StringComparison.Ordinal) && l.Contains(" applied ", StringComparison.Ordinal)));
        Assert.True(lines.Count < scripts.Count + 10, $"{lines.Count} lines for {scripts.Count} scripts");
    }

    [Fact]
    public async Task Verify_with_pending_scripts_exits_3_with_a_PENDING_error_listing_them()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync("DELETE FROM ops.schema_journal WHERE script_name = 'functions/ops.view_status.sql'");

        var json = await CliRun.RunAsync("verify", "--connection", db.ConnectionString, "--format", "json");
        var table = await CliRun.RunAsync("verify", "--connection", db.ConnectionString, "--format", "table");

        Assert.Equal(3, json.ExitCode);
        Assert.False(json.Json().GetProperty("success").GetBoolean());
        var error = json.Json().GetProperty("error");
        Assert.Equal("PENDING", error.GetProperty("code").GetString());
        Assert.Equal(1, error.GetProperty("details").GetProperty("pending").GetInt32());
        var script = Assert.Single(error.GetProperty("details").GetProperty("scripts").EnumerateArray());
        Assert.Equal("functions/ops.view_status.sql", script.GetProperty("name").GetString());
        Assert.Equal("pending", script.GetProperty("state").GetString());
        Assert.Contains("erpdb migrate", error.GetProperty("message").GetString());
        Assert.Equal(3, table.ExitCode);
        Assert.Contains("functions/ops.view_status.sql (pending)", table.Error);
    }

    [Fact]
    public async Task Verify_with_drift_exits_4_with_a_DRIFT_error_listing_the_drifted_script()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync("UPDATE ops.schema_journal SET sha256 = repeat('0', 64) WHERE script_name = 'migrations/0001_schemas.sql'");

        var json = await CliRun.RunAsync("verify", "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(4, json.ExitCode);
        Assert.False(json.Json().GetProperty("success").GetBoolean());
        var error = json.Json().GetProperty("error");
        Assert.Equal("DRIFT", error.GetProperty("code").GetString());
        Assert.Equal(1, error.GetProperty("details").GetProperty("drifted").GetInt32());
        var script = Assert.Single(error.GetProperty("details").GetProperty("scripts").EnumerateArray());
        Assert.Equal("migrations/0001_schemas.sql", script.GetProperty("name").GetString());
        Assert.Equal("drifted", script.GetProperty("state").GetString());
        Assert.Contains("migrations/0001_schemas.sql (drifted)", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Objects_changed_by_hand_show_in_status_and_make_verify_exit_4_naming_them_until_their_fixes_run()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var clean = await CliRun.RunAsync("verify", "--connection", db.ConnectionString, "--format", "json");
        var policy = await db.ScalarAsync<string>("SELECT format('%s on %s', object_name, table_name) FROM ops.schema_objects WHERE object_kind = 'policy' ORDER BY 1 LIMIT 1");
        await db.ExecuteAsync($"""
            DROP INDEX mart.mv_daily_sales_key;
            DROP TRIGGER fact_inventory_transactions_mark_views_dirty ON dw.fact_inventory_transactions;
            ALTER TABLE dw.fact_expenses DISABLE TRIGGER fact_expenses_mark_views_dirty;
            ALTER TABLE dw.dim_date DROP CONSTRAINT dim_date_month_range;
            """);
        string[] errors =
        [
            "index mv_daily_sales_key on mart.mv_daily_sales",
            "trigger fact_expenses_mark_views_dirty on dw.fact_expenses",
            "trigger fact_inventory_transactions_mark_views_dirty on dw.fact_inventory_transactions",
        ];

        var status = await CliRun.RunAsync("status", "--connection", db.ConnectionString, "--format", "json");
        var table = await CliRun.RunAsync("status", "--connection", db.ConnectionString, "--format", "table");
        var verify = await CliRun.RunAsync("verify", "--connection", db.ConnectionString, "--format", "json");
        // A dropped policy is an isolation problem too: verify exits 6, and its message names the policy with its fix.
        await db.ExecuteAsync($"DROP POLICY {policy}");
        var isolation = await CliRun.RunAsync("verify", "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(0, clean.ExitCode);
        Assert.Equal(0, clean.Json().GetProperty("data").GetProperty("objectDrift").GetProperty("objects").GetArrayLength());
        Assert.Equal(0, status.ExitCode);
        var drift = status.Json().GetProperty("data").GetProperty("objectDrift");
        Assert.Equal(3, drift.GetProperty("errors").GetInt32());
        Assert.Equal(1, drift.GetProperty("warnings").GetInt32());
        var objects = drift.GetProperty("objects").EnumerateArray().ToList();
        Assert.Equal([.. errors, "constraint dim_date_month_range on dw.dim_date"],
            objects.Select(o => o.GetProperty("object").GetString()!).OrderBy(o => o == "constraint dim_date_month_range on dw.dim_date").ThenBy(o => o, StringComparer.Ordinal));
        Assert.All(errors, e => Assert.Contains($"error {e} ", Regex.Replace(table.Output, @"\s+", " "), StringComparison.Ordinal));
        Assert.Contains("4 object(s) changed by hand since the last migrate (3 error(s))", Regex.Replace(table.Output, @"\s+", " "), StringComparison.Ordinal);
        Assert.Equal(4, verify.ExitCode);
        var error = verify.Json().GetProperty("error");
        Assert.Equal("DRIFT", error.GetProperty("code").GetString());
        Assert.All(errors, e => Assert.Contains(e, error.GetProperty("message").GetString(), StringComparison.Ordinal));
        Assert.DoesNotContain("dim_date_month_range", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, error.GetProperty("details").GetProperty("objectDrift").GetProperty("errors").GetInt32());
        Assert.Equal(6, isolation.ExitCode);
        var message = isolation.Json().GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains($"policy {policy}: erpdb migrate left this policy but it is missing now", message, StringComparison.Ordinal);
        Assert.Contains("CREATE POLICY ", message, StringComparison.Ordinal);
        Assert.All(errors, e => Assert.Contains(e, message, StringComparison.Ordinal));

        // The fixes status gives make the errors go; the CHECK constraint left dropped is a warning, which verify lets pass.
        var all = (await CliRun.RunAsync("status", "--connection", db.ConnectionString, "--format", "json")).Json().GetProperty("data").GetProperty("objectDrift").GetProperty("objects").EnumerateArray().ToList();
        Assert.Equal(5, all.Count);
        foreach (var o in all.Where(o => o.GetProperty("severity").GetString() == "error"))
        {
            var fix = o.GetProperty("fix").GetString()!;
            await db.ExecuteAsync(fix["Run, as a member of erp_owner: ".Length..fix.IndexOf("; (or, to keep", StringComparison.Ordinal)]);
        }
        var repaired = await CliRun.RunAsync("verify", "--connection", db.ConnectionString, "--format", "json");
        Assert.Equal(0, repaired.ExitCode);
        Assert.Equal(1, repaired.Json().GetProperty("data").GetProperty("objectDrift").GetProperty("warnings").GetInt32());
        Assert.Equal(0, repaired.Json().GetProperty("data").GetProperty("objectDrift").GetProperty("errors").GetInt32());
        // The table passes too, and says which object and how to fix it, as the JSON does.
        var repairedTable = await CliRun.RunAsync("verify", "--connection", db.ConnectionString, "--format", "table");
        Assert.Equal(0, repairedTable.ExitCode);
        Assert.Contains("warning constraint dim_date_month_range on dw.dim_date", Regex.Replace(repairedTable.Output, @"\s+", " "), StringComparison.Ordinal);
        Assert.Contains("1 object(s) changed by hand since the last migrate (0 error(s))", Regex.Replace(repairedTable.Output, @"\s+", " "), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_exits_6_and_lists_what_breaks_merchant_isolation()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var clean = await CliRun.RunAsync("verify", "--connection", db.ConnectionString);
        await db.ExecuteAsync("""
            SET ROLE erp_owner;
            CREATE MATERIALIZED VIEW mart.mv_test_orders AS SELECT merchant_id, count(*) AS orders FROM dw.fact_sales_orders GROUP BY merchant_id;
            GRANT SELECT ON mart.mv_test_orders TO erp_reader;
            RESET ROLE
            """);

        var json = await CliRun.RunAsync("verify", "--connection", db.ConnectionString, "--format", "json");
        var table = await CliRun.RunAsync("verify", "--connection", db.ConnectionString, "--format", "table");

        Assert.Equal(0, clean.ExitCode);
        Assert.Equal(6, json.ExitCode);
        Assert.False(json.Json().GetProperty("success").GetBoolean());
        var error = json.Json().GetProperty("error");
        Assert.Equal("ISOLATION_PROBLEM", error.GetProperty("code").GetString());
        var problem = Assert.Single(error.GetProperty("details").GetProperty("problems").EnumerateArray());
        Assert.Equal("mart.mv_test_orders", problem.GetProperty("object").GetString());
        Assert.Equal("materialized view", problem.GetProperty("kind").GetString());
        Assert.Equal(6, table.ExitCode);
        Assert.Contains("mart.mv_test_orders (materialized view)", table.Error);
    }

    [Fact]
    public async Task Dry_run_lists_pending_scripts_without_applying_them()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();

        var run = await CliRun.RunAsync("migrate", "--dry-run", "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(0, run.ExitCode);
        Assert.True(run.Json().GetProperty("data").GetProperty("dryRun").GetBoolean());
        Assert.Equal(ScriptCatalog.Embedded().Scripts.Count, run.Json().GetProperty("data").GetProperty("applied").GetArrayLength());
        Assert.Null(await db.ScalarAsync<string>("SELECT to_regclass('ops.schema_journal')::text"));
    }

    [Fact]
    public async Task Dry_run_as_a_table_says_why_each_script_would_run_and_that_nothing_ran()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync("DELETE FROM ops.schema_journal WHERE script_name = 'views/mart.mv_daily_sales.sql'");

        var run = await CliRun.RunAsync("migrate", "--dry-run", "--connection", db.ConnectionString, "--format", "table");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.ReplaceLineEndings("\n").Split('\n');
        var at = Array.FindIndex(lines, l => l.StartsWith("pending  views/mart.mv_daily_sales.sql", StringComparison.Ordinal));
        Assert.True(at >= 0, run.Output);
        Assert.Equal("never applied", lines[at + 1].Trim());
        Assert.Contains(lines, l => l.StartsWith("changed  views/mart.mv_weekly_sales.sql", StringComparison.Ordinal));
        Assert.Contains("reads a view that is rebuilt", run.Output);
        // The caption wraps at 80 columns.
        Assert.Contains("; nothing was applied.", string.Join(' ', run.Output.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)));
        Assert.DoesNotContain(" ms", run.Output);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal WHERE script_name = 'views/mart.mv_daily_sales.sql'"));
    }

    [Fact]
    public async Task Script_writes_the_pending_SQL_to_a_file()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        var file = Path.Combine(Path.GetTempPath(), $"erpdb-script-{Guid.NewGuid():N}.sql");

        var run = await CliRun.RunAsync("script", "--output", file, "--connection", db.ConnectionString);

        Assert.Equal(0, run.ExitCode);
        var sql = await File.ReadAllTextAsync(file);
        var length = new FileInfo(file).Length;
        File.Delete(file);
        Assert.Contains("-- ==== migrations/0001_schemas.sql", sql);
        Assert.Contains("CREATE SCHEMA IF NOT EXISTS dw", sql);
        // data.bytes is the file's size: the scripts hold non-ASCII text, so it is more than the characters.
        Assert.True(length > sql.Length, "the scripts are expected to hold non-ASCII characters");
        Assert.Equal(length, run.Json().GetProperty("data").GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task Script_to_a_path_that_cannot_be_written_is_bad_input_naming_the_option()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        var file = Path.Combine(Path.GetTempPath(), $"erpdb-no-such-dir-{Guid.NewGuid():N}", "script.sql");

        var run = await CliRun.RunAsync("script", "--output", file, "--connection", db.ConnectionString);

        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
        Assert.Equal("--output", error.GetProperty("details").GetProperty("field").GetString());
        Assert.Contains(file, error.GetProperty("message").GetString());
        Assert.False(File.Exists(file));
    }

    [Theory]
    [InlineData("migrate", "--no-such-option")]
    [InlineData("status", "--format", "xml")]
    [InlineData("frobnicate")]
    public async Task Bad_usage_exits_2_with_a_json_error_envelope(params string[] args)
    {
        var run = await CliRun.RunAsync([.. args, "--format", "json"]);

        Assert.Equal(2, run.ExitCode);
        Assert.False(run.Json().GetProperty("success").GetBoolean());
        Assert.Equal("VALIDATION_ERROR", run.Json().GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("Host=x;Pasword=hunter2secret;Bogus=1", "Couldn't set pasword")]
    [InlineData("Host=127.0.0.1;Port=99999;Password=hunter2secret", "Port 99999 is not a port number (1-65535)")]
    [InlineData("postgresql://u:hunter2secret@[::1/db", "a host or its port cannot be read")]
    public async Task A_malformed_connection_string_is_bad_input_and_never_echoes_the_password(string connection, string reason)
    {
        var run = await CliRun.RunAsync("status", "--connection", connection, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(reason, run.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("VALIDATION_ERROR", run.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain("hunter2secret", run.Output + run.Error);
        // In the user's words: not the C# parameter .NET's message ends with.
        Assert.DoesNotContain("(Parameter", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_database_is_DB_UNAVAILABLE_with_exit_1()
    {
        var run = await CliRun.RunAsync("status", "--connection", "Host=127.0.0.1;Port=1;Username=x;Password=topsecret;Timeout=3", "--format", "json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("DB_UNAVAILABLE", run.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain("topsecret", run.Output + run.Error);
    }

    [Fact]
    public async Task An_unreachable_database_is_named_with_its_host_port_and_where_the_connection_came_from()
    {
        var fromOption = await CliRun.RunAsync("status", "--connection", "Host=127.0.0.1;Port=1;Username=x;Password=topsecret;Timeout=3", "--format", "json");
        var fromVariables = await CliRun.RunAsync(new Dictionary<string, string>
        {
            ["PGHOST"] = "127.0.0.1",
            ["PGPORT"] = "1",
            ["PGUSER"] = "x",
            ["PGPASSWORD"] = "othersecret",
        }, "sales", "--merchant", "1", "--format", "json");

        Assert.Equal(1, fromOption.ExitCode);
        var message = fromOption.Json().GetProperty("error").GetProperty("message").GetString();
        Assert.Contains("127.0.0.1:1", message);
        Assert.Contains("--connection", message);
        Assert.DoesNotContain("topsecret", fromOption.Output + fromOption.Error);
        Assert.Equal(1, fromVariables.ExitCode);
        Assert.Equal("DB_UNAVAILABLE", fromVariables.Json().GetProperty("error").GetProperty("code").GetString());
        message = fromVariables.Json().GetProperty("error").GetProperty("message").GetString();
        Assert.Contains("127.0.0.1:1", message);
        Assert.Contains("PG* environment variables", message);
        Assert.DoesNotContain("othersecret", fromVariables.Output + fromVariables.Error);
    }

    [Fact]
    public async Task An_unreachable_migration_connection_is_named_not_the_main_one_and_the_command_lines_connection_wins()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        var main = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        var directory = Directory.CreateTempSubdirectory("erpdb-migration-connection-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "erpdb.json"), $$"""
                { "ErpDb": { "ConnectionString": "{{db.ConnectionString}}",
                             "MigrationConnectionString": "Host=127.0.0.1;Port=1;Database=erp_schema;Username=migrator;Password=migsecret;Timeout=3" } }
                """);

            var migrate = await CliRun.RunInAsync(directory.FullName, "migrate", "--format", "json");
            var status = await CliRun.RunInAsync(directory.FullName, "status", "--format", "json");
            // A connection on the command line is the one the run uses: a file in the current folder does not send it elsewhere.
            var given = await CliRun.RunInAsync(directory.FullName, "status", "--connection", db.ConnectionString, "--format", "json");

            foreach (var run in new[] { migrate, status })
            {
                Assert.Equal(1, run.ExitCode);
                var error = run.Json().GetProperty("error");
                Assert.Equal("DB_UNAVAILABLE", error.GetProperty("code").GetString());
                var message = error.GetProperty("message").GetString()!;
                Assert.Contains("migrator@127.0.0.1:1/erp_schema (connection from ErpDb:MigrationConnectionString in erpdb.json/appsettings.json)", message, StringComparison.Ordinal);
                Assert.DoesNotContain($"{main.Username}@{main.Host}:{main.Port}/{main.Database}", message, StringComparison.Ordinal);
                Assert.DoesNotContain("migsecret", run.Output + run.Error, StringComparison.Ordinal);
            }
            Assert.True(given.ExitCode == 0, given.Output + given.Error);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Scripts_a_config_file_names_instead_of_erpdbs_own_are_named_on_stderr()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        using var scripts = MigrationRunnerTests.BaseScripts();
        var directory = Directory.CreateTempSubdirectory("erpdb-configured-scripts-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "erpdb.json"),
                $$"""{ "ErpDb": { "Migration": { "ScriptsDirectory": {{System.Text.Json.JsonSerializer.Serialize(scripts.Path)}} } } }""");

            var fromFile = await CliRun.RunInAsync(directory.FullName, "script", "--connection", db.ConnectionString, "--format", "json");
            var fromOption = await CliRun.RunInAsync(directory.FullName, "script", "--scripts", scripts.Path, "--connection", db.ConnectionString, "--format", "json");

            Assert.True(fromFile.ExitCode == 0, fromFile.Output + fromFile.Error);
            Assert.Contains($"erpdb: the scripts are read from {scripts.Path} (ErpDb:Migration:ScriptsDirectory in erpdb.json/appsettings.json), not erpdb's own.", fromFile.Error, StringComparison.Ordinal);
            Assert.True(fromOption.ExitCode == 0, fromOption.Output + fromOption.Error);
            Assert.DoesNotContain("the scripts are read from", fromOption.Error, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_failing_script_prints_its_one_error_and_no_stack_trace_on_stderr()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        using var scripts = MigrationRunnerTests.BaseScripts()
            .Write("migrations/0003_broken.sql", "CREATE TABLE dw.half_done (id int);\nSELECT no_such_column FROM dw.half_done;\n");

        // A process of its own: erpdb's log goes to the real stderr, as a DBA sees it.
        using var run = ErpdbProcess.Start(db.ConnectionString, "migrate", "--scripts", scripts.Path, "--format", "json");
        var exitCode = await run.WaitAsync();

        Assert.True(exitCode == 1, run.Output + run.Error);
        var error = JsonDocument.Parse(run.Output).RootElement.GetProperty("error");
        Assert.Equal("MIGRATION_FAILED", error.GetProperty("code").GetString());
        Assert.Equal("42703", error.GetProperty("details").GetProperty("sqlState").GetString());
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length <= 4, run.Error);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.Contains("migrations/0003_broken.sql", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_does_not_exist_is_NOT_FOUND_with_exit_2()
    {
        var server = await TestServer.GetAsync();
        var missing = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = $"erpdb_missing_{Guid.NewGuid():N}"[..24] }.ConnectionString;

        var run = await CliRun.RunAsync("status", "--connection", missing, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("NOT_FOUND", run.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("createdb", run.Json().GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_database_never_migrated_is_NOT_MIGRATED_and_says_to_run_migrate()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();

        var sales = await CliRun.RunAsync("sales", "--merchant", "1", "--connection", db.ConnectionString, "--format", "json");
        var views = await CliRun.RunAsync("views", "--connection", db.ConnectionString, "--format", "json");

        foreach (var run in new[] { sales, views })
        {
            Assert.Equal(1, run.ExitCode);
            var error = run.Json().GetProperty("error");
            Assert.Equal("NOT_MIGRATED", error.GetProperty("code").GetString());
            Assert.Contains("erpdb migrate", error.GetProperty("message").GetString());
            Assert.Contains(db.Name, error.GetProperty("message").GetString());
        }
        Assert.Contains("dw.dim_merchants", sales.Json().GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_database_missing_a_function_of_the_scripts_is_NOT_MIGRATED()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        // As a database migrated by an older erpdb, before the function existed.
        await db.ExecuteAsync("DROP FUNCTION ops.view_status()");

        var views = await CliRun.RunAsync("views", "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(1, views.ExitCode);
        var error = views.Json().GetProperty("error");
        Assert.Equal("NOT_MIGRATED", error.GetProperty("code").GetString());
        Assert.Contains("ops.view_status()", error.GetProperty("message").GetString());
        Assert.Contains("erpdb migrate", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Libpq_environment_variables_choose_the_database()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var target = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        var environment = new Dictionary<string, string>
        {
            ["PGHOST"] = target.Host!,
            ["PGPORT"] = target.Port.ToString(),
            ["PGDATABASE"] = target.Database!,
            ["PGUSER"] = target.Username!,
            ["PGPASSWORD"] = target.Password!,
        };

        var run = await CliRun.RunAsync(environment, "status", "--format", "json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(db.Name, run.Json().GetProperty("data").GetProperty("database").GetString());
        Assert.DoesNotContain(target.Password!, run.Output + run.Error);
    }

    [Theory]
    [InlineData("status", "missing", "does not exist")]
    [InlineData("migrate", "root", "did you mean")]
    [InlineData("verify", "empty", "has no migrations/ folder")]
    public async Task A_scripts_folder_without_migrations_is_refused_as_bad_input_naming_the_option(string command, string folder, string said)
    {
        // Parsing refuses it before any connection: the server named here is never reached.
        var root = Directory.CreateTempSubdirectory("erpdb-scripts-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "sql", "migrations"));
            var dir = folder switch { "missing" => Path.Combine(root, "nothing-here"), "root" => root, _ => Path.Combine(root, "sql", "migrations") };

            var run = await CliRun.RunAsync(command, "--scripts", dir, "--format", "json", "--connection", "Host=127.0.0.1;Port=1;Database=none");

            Assert.Equal(2, run.ExitCode);
            var error = run.Json().GetProperty("error");
            Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
            var message = error.GetProperty("message").GetString()!;
            Assert.StartsWith("--scripts: ", message, StringComparison.Ordinal);
            Assert.Contains(said, message, StringComparison.Ordinal);
            if (folder == "root")
            {
                Assert.Contains(Path.Combine(root, "sql"), message, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Without_a_connection_erpdb_starts_its_local_server_says_so_and_stops_it()
    {
        var home = Path.Combine(Path.GetTempPath(), $"erpdb-cli-home-{Guid.NewGuid():N}");
        var environment = new Dictionary<string, string> { ["ERPDB_HOME"] = home };
        try
        {
            var before = await CliRun.RunAsync(environment, "server", "status", "--format", "json");
            var migrate = await CliRun.RunAsync(environment, "migrate", "--format", "json");
            var running = await CliRun.RunAsync(environment, "server", "status", "--format", "json");
            // What docs/library.md tells an app to connect with: the printed connection string plus the password file.
            var printed = running.Json().GetProperty("data");
            Assert.Equal(Path.Combine(home, "password"), printed.GetProperty("passwordFile").GetString());
            var reconnect = new Npgsql.NpgsqlConnectionStringBuilder(printed.GetProperty("connectionString").GetString())
            {
                Password = File.ReadAllText(printed.GetProperty("passwordFile").GetString()!).Trim(),
            };
            string? reached;
            await using (var connection = new Npgsql.NpgsqlConnection(reconnect.ConnectionString))
            {
                await connection.OpenAsync();
                await using var command = new Npgsql.NpgsqlCommand("SELECT current_database()", connection);
                reached = (string?)await command.ExecuteScalarAsync();
            }
            var stop = await CliRun.RunAsync(environment, "server", "stop", "--format", "json");

            Assert.False(before.Json().GetProperty("data").GetProperty("running").GetBoolean());
            Assert.Equal(0, migrate.ExitCode);
            Assert.Contains("using the local PostgreSQL", migrate.Error);
            Assert.Contains("started now", migrate.Error);
            Assert.Equal("erpdb", migrate.Json().GetProperty("data").GetProperty("database").GetString());
            Assert.True(running.Json().GetProperty("data").GetProperty("running").GetBoolean());
            Assert.Equal("erpdb", reached);
            Assert.True(stop.Json().GetProperty("data").GetProperty("stopped").GetBoolean());
            Assert.DoesNotContain(File.ReadAllText(Path.Combine(home, "password")).Trim(), migrate.Output + migrate.Error + running.Output);
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await CliRun.RunAsync(environment, "server", "stop");
            Directory.Delete(home, recursive: true);
        }
    }
}
