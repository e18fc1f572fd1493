using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Erp.Db;

/// <summary>
/// The one place that turns server errors of the library's entry points (queries, ingest, refresh, posting, partitions,
/// migrations, the doctor, the health check) into exceptions that say what to do: an undefined object of the warehouse becomes
/// <see cref="WarehouseNotMigratedException"/>, a query the server cancelled at <see cref="ErpDbOptions.QueryTimeout"/> a
/// <see cref="TimeoutException"/>, a refused permission, login or database a <see cref="WarehouseAccessException"/>. Each
/// keeps the <see cref="PostgresException"/> as its inner exception.
/// </summary>
internal static partial class WarehouseErrors
{
    /// <summary>
    /// Whether <paramref name="error"/> is an undefined relation, schema or function (42P01, 3F000, 42883) of the warehouse's own
    /// schemas (dw, mart, ops): the database lacks the scripts, or has those of an older Erp.Db.
    /// </summary>
    public static bool IsNotMigrated(PostgresException error) =>
        error.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName or PostgresErrorCodes.UndefinedFunction
        && WarehouseObject().IsMatch(error.MessageText);

    /// <summary>
    /// Whether <paramref name="error"/> is the server cancelling a query at its statement_timeout, which the library sets to
    /// <see cref="ErpDbOptions.QueryTimeout"/>: a 57014 that came after the query ran at least that long (one that came sooner is
    /// someone else's cancel, e.g. <c>pg_cancel_backend</c>, and stays as it is). The time, not the message, tells them apart:
    /// the server's messages may be translated.
    /// </summary>
    public static bool IsQueryTimeout(PostgresException error, ErpDbOptions options, TimeSpan elapsed) =>
        error.SqlState == PostgresErrorCodes.QueryCanceled && options.CommandTimeoutSeconds > 0 && elapsed >= options.QueryTimeout;

    /// <summary>
    /// The <see cref="WarehouseAccessException"/> for a refused permission (42501), login (28P01, 28000) or database (3D000), saying
    /// what to do; null for any other error. <paramref name="role"/> is what the failing call needs. The message holds the server's
    /// words and never the connection string (so never its password).
    /// </summary>
    public static WarehouseAccessException? ForAccess(PostgresException error, RequiredRole role) => error.SqlState switch
    {
        PostgresErrorCodes.InsufficientPrivilege => new WarehouseAccessException(WarehouseAccessReason.PermissionDenied,
            $"The database refused this login a permission: {error.MessageText}. {RoleHint(role)}", error),
        PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => new WarehouseAccessException(
            WarehouseAccessReason.AuthenticationFailed,
            $"The database server refused the login: {error.MessageText}. Check the user name and password of the connection string "
            + "(ErpDb:ConnectionString, ErpDb:ReadConnectionString or ErpDb:MigrationConnectionString), that the role exists and may log in, "
            + "and that the server's pg_hba.conf admits it from this host.", error),
        PostgresErrorCodes.InvalidCatalogName => new WarehouseAccessException(WarehouseAccessReason.DatabaseMissing,
            $"{error.MessageText} on the server the connection string names. Create it (createdb, or CREATE DATABASE <name> OWNER <migrating login>) "
            + "and migrate it (ErpDatabase.Migrations.MigrateAsync() or `erpdb migrate`), or fix the Database of the connection string.", error),
        _ => null,
    };

    /// <summary>Which role a call of the library needs, and how to give it (docs/security.md says who may do what).</summary>
    private static string RoleHint(RequiredRole role) => role switch
    {
        RequiredRole.Reader => "Queries need a login in erp_reader (GRANT erp_reader TO <login>) with a merchant grant "
            + "(SELECT ops.grant_merchant_access('<login>', <merchant id>)), or the owner (docs/security.md). They run as the login of "
            + "ErpDb:ReadConnectionString when it is set, else of ErpDb:ConnectionString: an app that ingests (erp_writer) and also reads "
            + "sets ReadConnectionString to its reading login (docs/library.md).",
        RequiredRole.Writer => "Ingest, refresh, posting and partitions need a login in erp_writer (GRANT erp_writer TO <login>), "
            + "or the owner; a reading app's erp_reader login may not run them (docs/security.md).",
        RequiredRole.Any => "Reading the schema's state needs a login in erp_reader or erp_writer (GRANT erp_reader TO <login>), or the owner; "
            + "no merchant grant (docs/library.md, \"Does the schema match this library?\").",
        _ => "Migrations, their status and the doctor need the login that migrates: a member of erp_owner, or a superuser "
            + "(ErpDb:MigrationConnectionString; docs/migrations.md, \"Who may migrate\").",
    };

    /// <summary>What a query's <paramref name="error"/> should surface as, or null when it should surface as it is.</summary>
    public static Exception? ForQuery(PostgresException error, ErpDbOptions options, TimeSpan elapsed) =>
        IsNotMigrated(error) ? new WarehouseNotMigratedException(error)
        : ForAccess(error, RequiredRole.Reader) is { } access ? access
        : IsQueryTimeout(error, options, elapsed) ? new TimeoutException(
            $"The query ran longer than its limit of {options.QueryTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s and the server cancelled it. "
            + "Raise ErpDbOptions.QueryTimeout (configuration key ErpDb:QueryTimeout), or ask for less (a shorter period, a smaller page).", error)
        : null;

    /// <summary>
    /// Runs <paramref name="run"/> (a call that needs <paramref name="role"/>); an undefined object of the warehouse surfaces as
    /// <see cref="WarehouseNotMigratedException"/>, a refused permission, login or database as <see cref="WarehouseAccessException"/>.
    /// </summary>
    public static async Task<T> GuardAsync<T>(RequiredRole role, Func<Task<T>> run)
    {
        try
        {
            return await run();
        }
        catch (PostgresException e) when (IsNotMigrated(e))
        {
            throw new WarehouseNotMigratedException(e);
        }
        catch (PostgresException e) when (ForAccess(e, role) is { } access)
        {
            throw access;
        }
    }

    /// <summary>
    /// Runs <paramref name="run"/> (a call that needs <paramref name="role"/>); a refused permission, login or database surfaces as
    /// <see cref="WarehouseAccessException"/>. For the migrations, whose own missing objects are no sign of a missing migration.
    /// </summary>
    public static async Task<T> GuardAccessAsync<T>(RequiredRole role, Func<Task<T>> run)
    {
        try
        {
            return await run();
        }
        catch (PostgresException e) when (ForAccess(e, role) is { } access)
        {
            throw access;
        }
    }

    /// <summary>Opens a connection of <paramref name="dataSource"/>; a refused login or database surfaces as <see cref="WarehouseAccessException"/>.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, RequiredRole role, CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (PostgresException e) when (ForAccess(e, role) is { } access)
        {
            throw access;
        }
    }

    /// <summary>
    /// A relation or schema named <c>dw.</c>, <c>mart.</c> or <c>ops.</c> (or the schema itself), or a function of those schemas,
    /// at the start of the server's message (<c>relation "mart.mv_daily_sales" does not exist</c>, <c>schema "ops" does not
    /// exist</c>, <c>function ops.view_status() does not exist</c>).
    /// </summary>
    [GeneratedRegex("""^((relation|schema) "(dw|mart|ops)[."]|function (dw|mart|ops)\.)""")]
    private static partial Regex WarehouseObject();
}
