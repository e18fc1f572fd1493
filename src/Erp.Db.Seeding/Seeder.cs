using System.Diagnostics;
using Dapper;
using Erp.Db.Refresh;
using Erp.Db.Seeding.Generation;
using Erp.Db.Seeding.Loading;
using Erp.Db.Seeding.Rows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Erp.Db.Seeding;

/// <summary>
/// Loads the demo data of <see cref="DemoDataGenerator"/> into the warehouse with binary COPY, one
/// COPY per table (dimensions first), all in one transaction: a failure or a cancellation leaves
/// nothing behind. Then runs ANALYZE on the loaded tables and, unless
/// <see cref="SeedOptions.RefreshViews"/> is off, the due refresh, so the views show the data.
/// </summary>
/// <remarks>
/// <b>Security:</b> with <see cref="ExistingDataPolicy.Replace"/> it truncates every merchant's data
/// in the dw schema; run it against demo and test databases only.
/// </remarks>
/// <param name="dataSource">The warehouse; the login must own the dw tables (or be erp_owner) to create partitions and truncate.</param>
/// <param name="logger">Optional logger.</param>
public sealed class Seeder(NpgsqlDataSource dataSource, ILogger<Seeder>? logger = null)
{
    private readonly ILogger logger = logger ?? NullLogger<Seeder>.Instance;

    /// <summary>Generates and loads the data of <paramref name="options"/>.</summary>
    /// <param name="options">What to generate; see <see cref="SeedOptions.Validate"/>.</param>
    /// <param name="progress">Receives rows written per table as the COPYs stream (called on a worker thread).</param>
    /// <param name="cancellationToken">Cancels the load; the transaction is rolled back.</param>
    /// <returns>Rows per table, elapsed time and rows per second.</returns>
    /// <exception cref="SeedOptionsException">The options are out of range, or the range has days outside the business dates.</exception>
    /// <exception cref="SeedTargetNotEmptyException">The database holds data and <see cref="SeedOptions.ExistingData"/> is <see cref="ExistingDataPolicy.Refuse"/>.</exception>
    public async Task<SeedReport> SeedAsync(SeedOptions options, IProgress<SeedProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new SeedOptionsException(problems);
        }
        var started = Stopwatch.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The warehouse's today is the database's (docs/today.md), not this machine's: the default range ends the day before it,
        // so that the BI commands' "today" is the first day without data, whatever the zones of this machine and the server.
        DateOnly databaseToday;
        await using (var todayCommand = new NpgsqlCommand("SELECT CURRENT_DATE", connection, transaction))
        await using (var reader = await todayCommand.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            databaseToday = reader.GetFieldValue<DateOnly>(0);
        }
        options = options with { EndDate = options.EndDate ?? databaseToday.AddDays(-1) };
        await ThrowIfOutsideBusinessDatesAsync(connection, transaction, options, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(SeedSql.Lock, new { key = SeedSql.LockKey }, transaction, cancellationToken: cancellationToken));
        var replaced = await PrepareTargetAsync(connection, transaction, options.ExistingData, cancellationToken);
        var reference = await ReferenceDataReader.ReadAsync(connection, transaction, cancellationToken);
        var generator = await Task.Run(() => new DemoDataGenerator(options, reference), cancellationToken);
        logger.LogInformation("Seeding {Orders} orders ({Items} lines) over {Start}..{End} into {Database}",
            generator.OrderCount, generator.OrderItemCount, generator.StartDate, generator.EndDate, connection.Database);
        await PrepareCalendarAsync(connection, transaction, generator.StartDate, generator.EndDate, databaseToday, cancellationToken);

        var tables = new List<SeedTableReport>
        {
            await CopyStreamer.CopyAsync(connection, generator.Merchants, generator.Merchants.Count, progress, cancellationToken),
            await CopyStreamer.CopyAsync(connection, generator.Shops, generator.Shops.Count, progress, cancellationToken),
            await CopyStreamer.CopyAsync(connection, generator.Categories, generator.Categories.Count, progress, cancellationToken),
            await CopyStreamer.CopyAsync(connection, generator.Products, generator.Products.Count, progress, cancellationToken),
            await CopyStreamer.CopyAsync(connection, generator.Customers, generator.Customers.Count, progress, cancellationToken),
            await CopyStreamer.CopyAsync(connection, generator.ExchangeRates(), 0, progress, cancellationToken),
        };
        await AnalyzeAsync(connection, transaction, SeedSql.AnalyzeDimensions, cancellationToken);
        var foreignKeys = (await connection.QueryAsync<(string DropSql, string AddSql)>(
            new CommandDefinition(SeedSql.FactForeignKeys, transaction: transaction, cancellationToken: cancellationToken))).ToList();
        await ExecuteEachAsync(connection, transaction, foreignKeys.Select(k => k.DropSql), cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(SeedSql.CreatePayments, transaction: transaction, cancellationToken: cancellationToken));
        tables.AddRange(
        [
            await CopyStreamer.CopyAsync(connection, generator.Orders(), generator.OrderCount, progress, cancellationToken),
            await CopyStreamer.CopyAsync(connection, generator.OrderItems(), generator.OrderItemCount, progress, cancellationToken),
            await CopyStreamer.CopyAsync(connection, generator.ProductMetrics(), 0, progress, cancellationToken),
            await CopyStreamer.CopyAsync(connection, generator.Inventory(), generator.Products.Count, progress, cancellationToken),
            await CopyStreamer.CopyAsync(connection, generator.InventoryTransactions(), 0, progress, cancellationToken),
            await CopyStreamer.CopyAsync(connection, generator.Payments(), 0, progress, cancellationToken),
            await CopyStreamer.CopyAsync(connection, generator.Expenses(), 0, progress, cancellationToken),
            await CopyStreamer.CopyAsync(connection, generator.TrafficFunnel(), (long)generator.Shops.Count * options.Days, progress, cancellationToken),
            await CopyStreamer.CopyAsync(connection, generator.UserActivity(), (long)generator.Shops.Count * options.Days, progress, cancellationToken),
            await CopyStreamer.CopyAsync(connection, generator.SalesTargets(), 0, progress, cancellationToken),
            await CopyStreamer.CopyAsync(connection, generator.Campaigns(), 0, progress, cancellationToken),
        ]);
        await ExecuteEachAsync(connection, transaction, foreignKeys.Select(k => k.AddSql), cancellationToken);
        await MoveSequencesAsync(connection, transaction, tables, cancellationToken);
        await PostAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var loadElapsed = Stopwatch.GetElapsedTime(started);

        var analyzeStarted = Stopwatch.GetTimestamp();
        await connection.ExecuteAsync(new CommandDefinition(SeedSql.Analyze, commandTimeout: 0, cancellationToken: cancellationToken));
        var analyzeElapsed = Stopwatch.GetElapsedTime(analyzeStarted);

        var refreshStarted = Stopwatch.GetTimestamp();
        var refreshed = options.RefreshViews ? await RefreshViewsAsync(cancellationToken) : [];
        var report = new SeedReport(connection.Database, generator.StartDate, generator.EndDate, options.RandomSeed, replaced, tables,
            loadElapsed, analyzeElapsed, refreshed, options.RefreshViews ? Stopwatch.GetElapsedTime(refreshStarted) : TimeSpan.Zero);
        logger.LogInformation("Seeded {Rows} rows in {Elapsed} ({RowsPerSecond:0} rows/s)", report.TotalRows, report.Elapsed, report.RowsPerSecond);
        return report;
    }

    /// <summary>
    /// The load marked the views that read the loaded tables dirty: the due refresh (the
    /// synchronous path of event-driven refresh) rebuilds them and the C-class results now, so the
    /// next query shows the data instead of waiting for the schedule. A failed view is logged and
    /// reported, not thrown: the data is committed either way.
    /// </summary>
    private async Task<IReadOnlyList<RefreshResult>> RefreshViewsAsync(CancellationToken cancellationToken)
    {
        var results = await new ViewRefresher(dataSource).RefreshDueAsync("seed", cancellationToken);
        foreach (var failed in results.Where(r => r.Status == RefreshStatus.Failed))
        {
            logger.LogWarning("Refreshing {View} after the seed failed: {Error}", failed.View, failed.Error);
        }
        return results;
    }

    /// <summary>
    /// The seeder writes the facts by COPY, past ingest's checks: a range with days outside the business dates
    /// (<c>dw.business_date_problem</c>, the one rule ingest and doctor use) would put rows in the DEFAULT partitions.
    /// </summary>
    private static async Task ThrowIfOutsideBusinessDatesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SeedOptions options, CancellationToken cancellationToken)
    {
        var last = options.ResolveEndDate();
        var first = last.DayNumber >= options.Days ? last.AddDays(1 - options.Days) : DateOnly.MinValue;
        await using var command = new NpgsqlCommand(SeedSql.BusinessDateProblems, connection, transaction) { Parameters = { new("first", first), new("last", last) } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (firstProblem, lastProblem) = (await reader.IsDBNullAsync(0, cancellationToken) ? null : reader.GetString(0), await reader.IsDBNullAsync(1, cancellationToken) ? null : reader.GetString(1));
        if (lastProblem is not null)
        {
            throw new SeedOptionsException([new("--end-date", $"--end-date {last:yyyy-MM-dd} {lastProblem}: the seeded days must be business dates.")]);
        }
        if (firstProblem is not null)
        {
            throw new SeedOptionsException([new("--days", $"The first seeded day, {first:yyyy-MM-dd} (--end-date less --days {options.Days} plus one), {firstProblem}: seed fewer days or end later.")]);
        }
    }

    /// <summary>
    /// The books come from posting, as after an import: stock movements and positions, receivables
    /// and their settlement, is_paid and inventory_deducted. It runs after the keys are
    /// back and the sequences moved past the loaded ids (posting inserts rows of its own), with fresh
    /// statistics of the loaded facts so its set-based joins are planned as such.
    /// </summary>
    private static async Task PostAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await AnalyzeAsync(connection, transaction, SeedSql.AnalyzeForPosting, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(SeedSql.Post, transaction: transaction, commandTimeout: 0, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Statistics of freshly loaded tables inside the load's transaction (ANALYZE sees its own
    /// transaction's rows): without them the foreign key checks of the next COPYs may be planned as
    /// sequential scans of the referenced tables, once per row.
    /// </summary>
    private static async Task AnalyzeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, commandTimeout: 0, cancellationToken: cancellationToken));

    /// <summary>
    /// Runs catalog-generated DDL. The facts load with their foreign keys dropped and added back
    /// before commit: adding a key validates every row in one join, where COPY would check each row
    /// on its own (for order items, against a partitioned table: 73% of a 1M-order load). It all
    /// happens inside the load's transaction, so nothing unchecked is ever committed or visible.
    /// </summary>
    private static async Task ExecuteEachAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<string> statements, CancellationToken cancellationToken)
    {
        foreach (var sql in statements)
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, commandTimeout: 0, cancellationToken: cancellationToken));
        }
    }

    private static async Task<bool> PrepareTargetAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ExistingDataPolicy policy, CancellationToken cancellationToken)
    {
        var table = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(SeedSql.FirstNonEmptyTable, transaction: transaction, cancellationToken: cancellationToken));
        if (table is null)
        {
            return false;
        }
        if (policy == ExistingDataPolicy.Replace)
        {
            await connection.ExecuteAsync(new CommandDefinition(SeedSql.Truncate, transaction: transaction, cancellationToken: cancellationToken));
            return true;
        }
        var what = table == "dw.fact_sales_orders" ? "orders" : $"data in {table}";
        throw new SeedTargetNotEmptyException(table,
            $"database already has {what}; use --replace to truncate dw facts/dims first or seed an empty database");
    }

    private static async Task PrepareCalendarAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly from, DateOnly to, DateOnly today, CancellationToken cancellationToken)
    {
        // Dapper has no DateOnly mapping (and the library adds no global type handlers): typed Npgsql parameters.
        await using var covered = new NpgsqlCommand(SeedSql.CalendarCovered, connection, transaction);
        covered.Parameters.Add(new NpgsqlParameter<DateOnly>("from", from));
        covered.Parameters.Add(new NpgsqlParameter<DateOnly>("to", to));
        if ((long)(await covered.ExecuteScalarAsync(cancellationToken))! < to.DayNumber - from.DayNumber + 1)
        {
            await using var fill = new NpgsqlCommand(SeedSql.FillCalendar, connection, transaction);
            fill.Parameters.Add(new NpgsqlParameter<DateOnly>("from", from));
            fill.Parameters.Add(new NpgsqlParameter<DateOnly>("to", to));
            await fill.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var partitions = new NpgsqlCommand(SeedSql.EnsurePartitions, connection, transaction);
        partitions.Parameters.Add(new NpgsqlParameter<int>("monthsAhead", Math.Max(3, ((to.Year - today.Year) * 12) + to.Month - today.Month + 1)));
        partitions.Parameters.Add(new NpgsqlParameter<DateOnly>("fromMonth", new DateOnly(from.Year, from.Month, 1)));
        await partitions.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task MoveSequencesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<SeedTableReport> tables, CancellationToken cancellationToken)
    {
        foreach (var (table, column) in SeedSql.Identities)
        {
            var rows = tables.FirstOrDefault(t => t.Table == table)?.Rows ?? 0;
            if (rows > 0)
            {
                // The seeder numbers every identity 1..rows, so rows is the largest value written.
                await connection.ExecuteAsync(new CommandDefinition(SeedSql.SetSequence, new { table, column, value = rows }, transaction, cancellationToken: cancellationToken));
            }
        }
    }
}
