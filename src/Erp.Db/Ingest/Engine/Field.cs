using NpgsqlTypes;

namespace Erp.Db.Ingest.Engine;

/// <summary>Typed constructors of <see cref="IngestField{TRow}"/>: each writes with an explicit <see cref="NpgsqlDbType"/>, nulls as NULL.</summary>
internal static class Field
{
    public static IngestField<TRow> Bigint<TRow>(string name, Func<TRow, long> get) => Of(name, NpgsqlDbType.Bigint, get);

    public static IngestField<TRow> Bigint<TRow>(string name, Func<TRow, long?> get) => Of(name, NpgsqlDbType.Bigint, get);

    /// <summary>An internal id where 0 means "not given" (the row names it by a natural key instead): written as NULL.</summary>
    public static IngestField<TRow> Id<TRow>(string name, Func<TRow, long> get) => Of(name, NpgsqlDbType.Bigint, (TRow row) => get(row) is var id && id != 0 ? id : (long?)null);

    public static IngestField<TRow> Integer<TRow>(string name, Func<TRow, int> get) => Of(name, NpgsqlDbType.Integer, get);

    public static IngestField<TRow> Integer<TRow>(string name, Func<TRow, int?> get) => Of(name, NpgsqlDbType.Integer, get);

    public static IngestField<TRow> Numeric<TRow>(string name, Func<TRow, decimal> get) => Of(name, NpgsqlDbType.Numeric, get);

    public static IngestField<TRow> Numeric<TRow>(string name, Func<TRow, decimal?> get) => Of(name, NpgsqlDbType.Numeric, get);

    public static IngestField<TRow> Text<TRow>(string name, Func<TRow, string?> get) => Of(name, NpgsqlDbType.Text, get);

    /// <summary>
    /// A code compared without case, written in lower case: a value of a fixed list (a CHECK of the table: an order's status, a payment
    /// method, a platform of dw.dim_platforms, ...), so that <c>PAID</c> or <c>Completed</c>, as platforms export them, is checked and
    /// stored as <c>paid</c> or <c>completed</c>, and <c>Shopee</c> as <c>shopee</c>; a warehouse code (<see cref="NaturalKeys.ResolveWarehouse"/>).
    /// </summary>
    public static IngestField<TRow> Code<TRow>(string name, Func<TRow, string?> get) => Of(name, NpgsqlDbType.Text, (TRow row) => get(row)?.ToLowerInvariant());

    public static IngestField<TRow> Date<TRow>(string name, Func<TRow, DateOnly> get) => Of(name, NpgsqlDbType.Date, get);

    public static IngestField<TRow> Date<TRow>(string name, Func<TRow, DateOnly?> get) => Of(name, NpgsqlDbType.Date, get);

    public static IngestField<TRow> Boolean<TRow>(string name, Func<TRow, bool> get) => Of(name, NpgsqlDbType.Boolean, get);

    public static IngestField<TRow> Boolean<TRow>(string name, Func<TRow, bool?> get) => Of(name, NpgsqlDbType.Boolean, get);

    /// <summary>timestamptz: Npgsql writes only UTC offsets, so the value is converted (same instant).</summary>
    public static IngestField<TRow> Timestamp<TRow>(string name, Func<TRow, DateTimeOffset> get) =>
        Of(name, NpgsqlDbType.TimestampTz, (TRow row) => get(row).ToUniversalTime());

    /// <inheritdoc cref="Timestamp{TRow}(string, Func{TRow, DateTimeOffset})"/>
    public static IngestField<TRow> Timestamp<TRow>(string name, Func<TRow, DateTimeOffset?> get) =>
        Of(name, NpgsqlDbType.TimestampTz, (TRow row) => get(row)?.ToUniversalTime());

    private static IngestField<TRow> Of<TRow, TValue>(string name, NpgsqlDbType type, Func<TRow, TValue> get) =>
        new(name, type, (importer, row, ct) => importer.WriteAsync(get(row), type, ct), row => get(row) is not null);
}
