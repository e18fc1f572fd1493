using Npgsql;

namespace Erp.Db.Seeding.Loading;

/// <summary>A row that knows its table's binary COPY command and writes its values in that column order.</summary>
/// <typeparam name="TSelf">The row type itself.</typeparam>
internal interface ICopyRow<TSelf>
    where TSelf : ICopyRow<TSelf>
{
    /// <summary>The table, schema-qualified.</summary>
    static abstract string Table { get; }

    /// <summary><c>COPY table (columns) FROM STDIN (FORMAT BINARY)</c>: a constant, never built from values.</summary>
    static abstract string CopyCommand { get; }

    /// <summary>Writes the row's values (the row is already started).</summary>
    Task WriteAsync(NpgsqlBinaryImporter importer, CancellationToken cancellationToken);
}
