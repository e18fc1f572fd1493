namespace Erp.Db.Ingest.Engine;

/// <summary>
/// The first and last day of a batch's rows (<see cref="EntityDefinition{TRow}.DaysField"/>), passed as <c>@firstDay</c> and
/// <c>@lastDay</c> to the statements that read a date-partitioned fact by the rows' own days (<see cref="Range"/>). PostgreSQL
/// plans each statement with its parameters' values, so the bound prunes the fact to the batch's monthly partitions when the
/// statement is planned. Without it, every statement joining the orders or their lines was planned over every partition and
/// its indexes: 70-90 ms of planning for a batch of one order line, against 1-2 ms with the bound.
/// </summary>
internal sealed record BatchDays(DateTime? FirstDay, DateTime? LastDay)
{
    /// <summary>The batch's first day, as an argument.</summary>
    public const string First = "CAST(@firstDay AS date)";

    /// <summary>The batch's last day, as an argument.</summary>
    public const string Last = "CAST(@lastDay AS date)";

    /// <summary>The bound, after a partition key column: <c>o.order_date {Range}</c>.</summary>
    public const string Range = $"BETWEEN {First} AND {Last}";

    /// <summary>No bound: an entity without <see cref="EntityDefinition{TRow}.DaysField"/> reads no fact by its rows' days.</summary>
    public static readonly BatchDays None = new(null, null);

    /// <summary>The query of the temp table's first and last <paramref name="field"/>, as timestamps (what Dapper reads into DateTime).</summary>
    public static string Query(string field) =>
        $"SELECT min(t.{field})::timestamp AS firstday, max(t.{field})::timestamp AS lastday FROM {IngestPlan<object>.TempTable} AS t";

    /// <summary>Adds the two days to a command's parameters.</summary>
    public void AddTo(Npgsql.NpgsqlParameterCollection parameters)
    {
        parameters.AddWithValue("firstDay", NpgsqlTypes.NpgsqlDbType.Timestamp, (object?)FirstDay ?? DBNull.Value);
        parameters.AddWithValue("lastDay", NpgsqlTypes.NpgsqlDbType.Timestamp, (object?)LastDay ?? DBNull.Value);
    }

    /// <summary><paramref name="values"/> (an anonymous object of the statement's other parameters, or null) with the two days.</summary>
    public Dapper.DynamicParameters With(object? values = null)
    {
        var parameters = new Dapper.DynamicParameters(values);
        parameters.Add("firstDay", FirstDay);
        parameters.Add("lastDay", LastDay);
        return parameters;
    }
}
