namespace Erp.Db.Tests.Infrastructure;

/// <summary>
/// Skips a pg_cron test where pg_cron is missing, except under CI: .ci/run installs pg_cron and sets
/// ERPDB_TEST_REQUIRE_PG_CRON=1, so there a missing pg_cron fails the test instead of hiding it as a skip.
/// </summary>
internal static class PgCronAvailability
{
    public static void SkipUnless(bool available, string reason)
    {
        if (!available && Environment.GetEnvironmentVariable("ERPDB_TEST_REQUIRE_PG_CRON") == "1")
        {
            Assert.Fail($"{reason}; ERPDB_TEST_REQUIRE_PG_CRON=1 requires it. A test server initialised before pg_cron was installed keeps running without it: remove its home ({Path.GetTempPath()}erpdb-tests-<user>) to re-create it.");
        }
        Skip.IfNot(available, reason);
    }
}
