namespace Erp.Db;

/// <summary>Why the server refused a call of the library (<see cref="WarehouseAccessException.Reason"/>).</summary>
public enum WarehouseAccessReason
{
    /// <summary>SQLSTATE 42501: the login lacks a privilege the call needs; it needs another role (erp_reader, erp_writer or the owner).</summary>
    PermissionDenied,

    /// <summary>SQLSTATE 28P01 or 28000: the server refused the login itself (a wrong password, a role that does not exist, or pg_hba.conf).</summary>
    AuthenticationFailed,

    /// <summary>SQLSTATE 3D000: the database the connection string names does not exist on the server.</summary>
    DatabaseMissing,
}
