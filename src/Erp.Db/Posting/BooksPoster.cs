using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Erp.Db.Posting;

/// <summary>Runs <c>dw.post</c> (re-posts orders, stock movements and counts, and receivables), <c>dw.recost_order_lines</c>, <c>dw.write_off_receivables</c> and <c>dw.reinstate_receivables</c>, each in one transaction.</summary>
internal sealed class BooksPoster(NpgsqlDataSource dataSource, ILogger logger)
{
    // Dapper has no DateOnly parameters: the days go as timestamps (midnight) and are cast back.
    private const string Sql = """
        SELECT orders, orders_costed AS orderscosted, movements, positions, receivables, settled, stock_counts AS stockcounts
        FROM dw.post(@merchant, CAST(@from AS date), CAST(@to AS date))
        """;

    private const string RecostSql = """
        SELECT orders, lines, orders_costed AS orderscosted
        FROM dw.recost_order_lines(@merchant, CAST(@from AS date), CAST(@to AS date), @orderNo)
        """;

    private const string WriteOffSql = """
        SELECT receivables, outstanding_cny AS outstandingcny, alerts_resolved AS alertsresolved
        FROM dw.write_off_receivables(@merchant, @invoices, coalesce(@at, now()))
        """;

    private const string ReinstateSql = """
        SELECT receivables, outstanding_cny AS outstandingcny, overdue
        FROM dw.reinstate_receivables(@merchant, @invoices)
        """;

    public async Task<WriteOffResult> WriteOffAsync(long merchantId, IReadOnlyCollection<string> invoiceNumbers, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var result = await OnInvoicesAsync<WriteOffResult>("write off", "written off", WriteOffSql, invoiceNumbers,
            invoices => new { merchant = merchantId, invoices, at = at?.ToUniversalTime() }, cancellationToken);
        logger.LogInformation("Wrote off {Receivables} receivable(s) of merchant {Merchant}: {Result}", result.Receivables, merchantId, result);
        return result;
    }

    public async Task<ReinstateResult> ReinstateAsync(long merchantId, IReadOnlyCollection<string> invoiceNumbers, CancellationToken cancellationToken)
    {
        var result = await OnInvoicesAsync<ReinstateResult>("reinstate", "reinstated", ReinstateSql, invoiceNumbers,
            invoices => new { merchant = merchantId, invoices }, cancellationToken);
        logger.LogInformation("Reinstated {Receivables} written-off receivable(s) of merchant {Merchant}: {Result}", result.Receivables, merchantId, result);
        return result;
    }

    /// <summary>
    /// Runs one function over a merchant's invoices in a transaction: <paramref name="verb"/> names the act in the error for no or a
    /// blank invoice number, <paramref name="done"/> in the function's refusals (invalid_parameter_value), both ArgumentException.
    /// </summary>
    private async Task<T> OnInvoicesAsync<T>(string verb, string done, string sql, IReadOnlyCollection<string> invoiceNumbers,
        Func<string[], object> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoiceNumbers);
        if (invoiceNumbers.Count == 0 || invoiceNumbers.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"Name at least one invoice number to {verb}, none of them blank.", nameof(invoiceNumbers));
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        T result;
        try
        {
            result = await connection.QuerySingleAsync<T>(new CommandDefinition(sql, parameters([.. invoiceNumbers]), transaction, cancellationToken: cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidParameterValue)
        {
            throw new ArgumentException($"{e.MessageText}. Nothing was {done}.", nameof(invoiceNumbers), e);
        }
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public async Task<RecostResult> RecostAsync(long? merchantId, DateOnly? from, DateOnly? to, string? orderNo, CancellationToken cancellationToken)
    {
        if (from is { } f && to is { } t && t < f)
        {
            throw new ArgumentException($"to ({t:yyyy-MM-dd}) is before from ({f:yyyy-MM-dd}).", nameof(to));
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await connection.QuerySingleAsync<RecostResult>(new CommandDefinition(
            RecostSql, new { merchant = merchantId, from = from?.ToDateTime(TimeOnly.MinValue), to = to?.ToDateTime(TimeOnly.MinValue), orderNo },
            transaction, commandTimeout: 0, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Re-costed {Lines} line(s) of {Orders} order(s) of merchant {Merchant}: {Result}", result.Lines, result.Orders,
            merchantId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all", result);
        return result;
    }

    public async Task<PostResult> PostAsync(long? merchantId, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        if (from is { } f && to is { } t && t < f)
        {
            throw new ArgumentException($"to ({t:yyyy-MM-dd}) is before from ({f:yyyy-MM-dd}).", nameof(to));
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await connection.QuerySingleAsync<PostResult>(new CommandDefinition(
            Sql, new { merchant = merchantId, from = from?.ToDateTime(TimeOnly.MinValue), to = to?.ToDateTime(TimeOnly.MinValue) }, transaction, commandTimeout: 0, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Posted {Orders} order(s) of merchant {Merchant}: {Result}", result.Orders, merchantId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all", result);
        return result;
    }
}
