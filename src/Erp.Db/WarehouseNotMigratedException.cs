using Npgsql;

namespace Erp.Db;

/// <summary>
/// The database lacks a table, view, schema or function of the warehouse (<c>dw</c>, <c>mart</c>, <c>ops</c>): it was never
/// migrated, or was migrated by an older version of Erp.Db than this one. Nothing was read or written. Migrate it with
/// <c>ErpDatabase.Migrations.MigrateAsync()</c> or <c>erpdb migrate</c>; <c>erpdb status</c> lists what is pending.
/// <see cref="Exception.InnerException"/> is the server's <see cref="PostgresException"/> (SQLSTATE 42P01, 3F000 or 42883).
/// </summary>
public sealed class WarehouseNotMigratedException : InvalidOperationException
{
    internal WarehouseNotMigratedException(PostgresException error)
        : base($"The warehouse database is not migrated, or not up to date with this version of Erp.Db: {error.MessageText}. "
            + "Migrate it first: ErpDatabase.Migrations.MigrateAsync() or `erpdb migrate`; `erpdb status` lists what is pending.", error)
    {
        Missing = error.MessageText;
    }

    /// <summary>What the server found missing, in its words, e.g. <c>relation "mart.mv_daily_sales" does not exist</c>.</summary>
    public string Missing { get; }
}
