using System.Security.Cryptography;
using Erp.Db.Migrations;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Views;
using Npgsql;

namespace Erp.Db.Tests.Library;

public class TwoLoginsTests
{
    [Fact]
    public async Task A_reader_app_with_a_migration_login_migrates_reads_only_its_merchant_and_cannot_change_the_schema()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await db.ExecuteAsync("CALL ops.refresh_due('manual')");
        await using var migrator = await TestLogin.CreateAsync(db, "erp_owner");
        await using var app = await TestLogin.CreateAsync(db, "erp_reader");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{app.Name}', 1)");
        await using var erp = ErpDatabase.Create(new ErpDbOptions { ConnectionString = app.ConnectionString, MigrationConnectionString = migrator.ConnectionString });

        var migrated = await erp.Migrations.MigrateAsync();
        var status = await erp.Migrations.StatusAsync();
        await using var merchants = erp.DataSource.CreateCommand("SELECT array_agg(DISTINCT merchant_id ORDER BY merchant_id) FROM mart.daily_sales");
        var seen = (long[])(await merchants.ExecuteScalarAsync())!;
        await using var ddl = erp.DataSource.CreateCommand("CREATE TABLE mart.app_made (id int)");
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ddl.ExecuteNonQueryAsync());

        Assert.NotNull(migrated);
        Assert.True(status.IsUpToDate);
        Assert.Equal([1L], seen);
        Assert.Equal("42501", refused.SqlState);
        Assert.Equal(app.Name, (string?)await erp.DataSource.CreateCommand("SELECT session_user::text").ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_documented_migration_login_is_told_it_needs_CREATEROLE_and_with_it_migrates_an_empty_database()
    {
        // docs/library.md: CREATE ROLE erp_migrate LOGIN CREATEROLE ...; CREATE DATABASE erp OWNER erp_migrate. Without
        // CREATEROLE, 0002 stops; the message must send the DBA to the login's rights, not to the script.
        await using var db = await TestDatabase.CreateEmptyAsync();
        var login = $"t_mig_{Guid.NewGuid():N}"[..20];
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await db.ExecuteAsync($"CREATE ROLE {login} LOGIN PASSWORD '{password}'");
        try
        {
            await db.ExecuteAsync($"ALTER DATABASE {db.Name} OWNER TO {login}");
            var options = new ErpDbOptions
            {
                ConnectionString = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Username = login, Password = password, Pooling = false }.ConnectionString,
                Migration = new MigrationOptions { Schedule = false },
            };
            MigrationScriptException refused;
            await using (var erp = ErpDatabase.Create(options))
            {
                refused = await Assert.ThrowsAsync<MigrationScriptException>(() => erp.Migrations.MigrateAsync());
            }
            await db.ExecuteAsync($"ALTER ROLE {login} CREATEROLE");
            await using var again = ErpDatabase.Create(options);
            var first = await again.Migrations.MigrateAsync();
            // Before PostgreSQL 16, CREATEROLE could make the login a member of pg_execute_server_program: migrate says to take it
            // back, and later runs do without it.
            var before16 = await db.ScalarAsync<int>("SELECT current_setting('server_version_num')::int") < 160000;
            var advice = first.Notices.Where(n => n.Contains("NOCREATEROLE", StringComparison.Ordinal)).ToList();
            Assert.Equal(before16 ? 1 : 0, advice.Count);
            if (before16)
            {
                Assert.Contains("pg_execute_server_program", advice[0]);
                await db.ExecuteAsync(advice[0][advice[0].IndexOf("ALTER ROLE", StringComparison.Ordinal)..]);
            }
            await db.ExecuteAsync("DELETE FROM ops.schema_journal WHERE script_name = 'functions/ops.view_status.sql'");
            var second = await again.Migrations.MigrateAsync();
            Assert.Equal(["functions/ops.view_status.sql"], second.Scripts.Select(s => s.Name));
            Assert.Empty(second.Notices);
            Assert.False(await db.ScalarAsync<bool>($"SELECT rolcreaterole FROM pg_roles WHERE rolname = '{login}'") && before16);

            Assert.Equal("migrations/0002_roles.sql", refused.ScriptName);
            Assert.Equal("42501", refused.SqlState);
            Assert.Contains("CREATEROLE", refused.Message);
            Assert.Contains("refused the migrating login a privilege", refused.Message);
            Assert.DoesNotContain("fix it", refused.Message);
            Assert.True((await again.Migrations.StatusAsync()).IsUpToDate);
            Assert.True(await db.ScalarAsync<bool>($"SELECT pg_has_role('{login}', 'erp_owner', 'MEMBER')"));
        }
        finally
        {
            await db.ExecuteAsync($"ALTER DATABASE {db.Name} OWNER TO CURRENT_USER");
            await db.ExecuteAsync($"REASSIGN OWNED BY {login} TO CURRENT_USER; DROP OWNED BY {login}; DROP ROLE {login}");
        }
    }
}
