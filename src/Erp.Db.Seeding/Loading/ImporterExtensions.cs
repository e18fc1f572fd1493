using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Loading;

/// <summary>Writes of nullable values into a binary COPY.</summary>
internal static class ImporterExtensions
{
    public static Task WriteNullableAsync<T>(this NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? importer.WriteAsync(v, type, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    public static Task WriteNullableAsync(this NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is not null ? importer.WriteAsync(value, type, cancellationToken) : importer.WriteNullAsync(cancellationToken);
}
