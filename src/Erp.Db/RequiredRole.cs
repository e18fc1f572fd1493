namespace Erp.Db;

/// <summary>The role a part of the library needs (docs/security.md), for the message of a <see cref="WarehouseAccessException"/>.</summary>
internal enum RequiredRole
{
    /// <summary>Queries: erp_reader with a merchant grant, or the owner.</summary>
    Reader,

    /// <summary>Ingest, refresh, posting, partitions: erp_writer, or the owner.</summary>
    Writer,

    /// <summary>Migrations, their status and the doctor: the login that migrates (a member of erp_owner) or a superuser.</summary>
    Owner,

    /// <summary>The schema's state as an app sees it (<see cref="ErpDatabase.SchemaStatusAsync"/>): any of erp_reader, erp_writer or the owner.</summary>
    Any,
}
