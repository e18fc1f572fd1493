using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Ingest.Engine;

/// <summary>One input field of an entity: a column of the temp table, and how a row's value is written by binary COPY.</summary>
internal sealed class IngestField<TRow>(string name, NpgsqlDbType type, Func<NpgsqlBinaryImporter, TRow, CancellationToken, Task> write,
    Func<TRow, bool> isGiven)
{
    /// <summary>The snake_case name: temp table column, CSV header and the field named in errors.</summary>
    public string Name { get; } = name;

    /// <summary>The PostgreSQL type of the temp column: wide (numeric without scale, text) so COPY never rejects a value the upsert would report better.</summary>
    public string SqlType { get; } = type switch
    {
        NpgsqlDbType.Bigint => "bigint",
        NpgsqlDbType.Integer => "integer",
        NpgsqlDbType.Numeric => "numeric",
        NpgsqlDbType.Text => "text",
        NpgsqlDbType.Date => "date",
        NpgsqlDbType.TimestampTz => "timestamptz",
        NpgsqlDbType.Boolean => "boolean",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No temp column type for this NpgsqlDbType."),
    };

    /// <summary>Writes this field of <paramref name="row"/> as the next COPY value.</summary>
    public Task WriteAsync(NpgsqlBinaryImporter importer, TRow row, CancellationToken cancellationToken) => write(importer, row, cancellationToken);

    /// <summary>Whether <paramref name="row"/> gives this field a value (it is written as NULL otherwise).</summary>
    public bool IsGiven(TRow row) => isGiven(row);
}
