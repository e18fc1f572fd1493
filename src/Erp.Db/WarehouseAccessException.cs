using Npgsql;

namespace Erp.Db;

/// <summary>
/// The server refused a call of the library before it could do its work: the login lacks a permission the call needs
/// (<see cref="WarehouseAccessReason.PermissionDenied"/>: the message names the role it needs, erp_reader, erp_writer or the
/// owner), the server refused the login itself (<see cref="WarehouseAccessReason.AuthenticationFailed"/>: check the user name
/// and password), or the database does not exist (<see cref="WarehouseAccessReason.DatabaseMissing"/>: create it, or fix the
/// connection string). Nothing was read or written; no retry helps until the login or the connection string changes. The message
/// never holds the password. <see cref="Exception.InnerException"/> is the server's <see cref="PostgresException"/> (SQLSTATE
/// 42501, 28P01, 28000 or 3D000).
/// </summary>
public sealed class WarehouseAccessException : Exception
{
    internal WarehouseAccessException(WarehouseAccessReason reason, string message, PostgresException error)
        : base(message, error)
    {
        Reason = reason;
    }

    /// <summary>Why the server refused the call.</summary>
    public WarehouseAccessReason Reason { get; }
}
