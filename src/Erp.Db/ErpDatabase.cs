using Erp.Db.Health;
using Erp.Db.Ingest;
using Erp.Db.Migrations;
using Erp.Db.Partitions;
using Erp.Db.Posting;
using Erp.Db.Queries;
using Erp.Db.Refresh;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Erp.Db;

/// <summary>
/// The entry point of Erp.Db: one per application, thread-safe, sharing one <see cref="NpgsqlDataSource"/>
/// (and, optionally, one for a read replica). Register it with <c>services.AddErpDb(...)</c> or create it
/// with <see cref="Create(ErpDbOptions, ILoggerFactory?)"/>. Every part of the library hangs off it:
/// <see cref="Migrations"/>, <see cref="Queries"/>, <see cref="Ingest"/>, <see cref="Refresh"/>,
/// <see cref="Doctor"/>, <see cref="Partitions"/>, and the books' own acts: <see cref="PostAsync"/>, <see cref="RecostAsync"/>,
/// <see cref="WriteOffAsync"/> and <see cref="ReinstateAsync"/>.
/// </summary>
public sealed class ErpDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>The data sources this instance built and disposes (none when the caller passed them in).</summary>
    private readonly IReadOnlyList<NpgsqlDataSource> owned;

    /// <summary>Wraps data sources the caller owns (and disposes).</summary>
    /// <param name="dataSource">The primary: migrations, refresh and ingest.</param>
    /// <param name="readDataSource">A read replica for queries; <paramref name="dataSource"/> when null.</param>
    /// <param name="options">Limits and timeouts; defaults when null.</param>
    /// <param name="loggerFactory">Where logs go; nowhere when null.</param>
    /// <param name="migrationDataSource">The login that migrates (a member of <c>erp_owner</c>); <paramref name="dataSource"/> when null.</param>
    /// <exception cref="ArgumentException"><see cref="ErpDbOptions.MaxPageSize"/> is below 1, <see cref="ErpDbOptions.QueryTimeout"/> or
    /// <see cref="ErpDbOptions.ResultCacheRows"/> negative.</exception>
    public ErpDatabase(NpgsqlDataSource dataSource, NpgsqlDataSource? readDataSource = null, ErpDbOptions? options = null, ILoggerFactory? loggerFactory = null,
        NpgsqlDataSource? migrationDataSource = null)
        : this(dataSource, readDataSource, migrationDataSource, options, loggerFactory, owned: [])
    {
    }

    private ErpDatabase(NpgsqlDataSource dataSource, NpgsqlDataSource? readDataSource, NpgsqlDataSource? migrationDataSource, ErpDbOptions? options,
        ILoggerFactory? loggerFactory, IReadOnlyList<NpgsqlDataSource> owned)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ThrowIfInvalid(options);
        DataSource = dataSource;
        ReadDataSource = readDataSource ?? dataSource;
        MigrationDataSource = migrationDataSource ?? dataSource;
        Options = options ?? new ErpDbOptions();
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        this.owned = owned;
        var catalog = ScriptCatalog.For(Options.Migration);
        Migrations = new MigrationRunner(MigrationDataSource, catalog, Options.Migration, LoggerFactory.CreateLogger<MigrationRunner>());
        Queries = new WarehouseQueries(this);
        Ingest = new Ingestor(dataSource, LoggerFactory.CreateLogger<Ingestor>());
        Refresh = new ViewRefresher(dataSource, LoggerFactory.CreateLogger<ViewRefresher>());
        // Scheduling turned off (MigrationOptions.Schedule): migrate registers no pg_cron job, so doctor expects none.
        Doctor = new DatabaseDoctor(MigrationDataSource, Migrations, Options.Migration.Schedule ? null : []);
        Partitions = new PartitionKeeper(dataSource);
    }

    /// <summary>Builds the data sources from <paramref name="options"/>; they are disposed with this object.</summary>
    /// <exception cref="ArgumentException">The connection string is missing, or one of the three is malformed (the message names which), or
    /// <see cref="ErpDbOptions.MaxPageSize"/> is below 1, <see cref="ErpDbOptions.QueryTimeout"/> or <see cref="ErpDbOptions.ResultCacheRows"/> negative.</exception>
    public static ErpDatabase Create(ErpDbOptions options, ILoggerFactory? loggerFactory = null) => Create(options, loggerFactory, primary: null);

    /// <summary>
    /// Builds what <paramref name="primary"/> does not provide: the primary itself when null (from
    /// <see cref="ErpDbOptions.ConnectionString"/>), the replica and the migration login when their strings are set.
    /// Only what it builds is disposed with the result.
    /// </summary>
    internal static ErpDatabase Create(ErpDbOptions options, ILoggerFactory? loggerFactory, NpgsqlDataSource? primary)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (primary is null && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("ErpDbOptions.ConnectionString is empty: set ErpDb:ConnectionString in configuration or pass a connection string to AddErpDb.", nameof(options));
        }
        ThrowIfInvalid(options);
        var owned = new List<NpgsqlDataSource>();
        NpgsqlDataSource Own(string setting, string connectionString, int commandTimeout, bool forQueries = false)
        {
            NpgsqlDataSource built;
            try
            {
                built = Build(connectionString, commandTimeout, loggerFactory, forQueries);
            }
            catch (ArgumentException e)
            {
                // Npgsql's own words say where in the string, not which string; never the string itself (it holds the password).
                owned.ForEach(d => d.Dispose());
                throw new ArgumentException($"ErpDbOptions.{setting} is not a valid PostgreSQL connection string ({e.Message}): fix ErpDb:{setting}, "
                    + "e.g. Host=localhost;Database=erp;Username=erp_app;Password=...", nameof(options), e);
            }
            owned.Add(built);
            return built;
        }
        // Queries get a pool of their own that prepares what it runs often; ingest, refresh and migrations send statements
        // built per batch or run once, and keep the primary's pool (a caller's own primary is left as it is, queries included).
        var queries = !string.IsNullOrWhiteSpace(options.ReadConnectionString) ? Own(nameof(options.ReadConnectionString), options.ReadConnectionString, options.CommandTimeoutSeconds, forQueries: true)
            : primary is null ? Own(nameof(options.ConnectionString), options.ConnectionString, options.CommandTimeoutSeconds, forQueries: true)
            : null;
        // Migrations keep Npgsql's own default: their statements are bounded by MigrationOptions.CommandTimeout.
        primary ??= Own(nameof(options.ConnectionString), options.ConnectionString, options.CommandTimeoutSeconds);
        var migrator = string.IsNullOrWhiteSpace(options.MigrationConnectionString) ? null : Own(nameof(options.MigrationConnectionString), options.MigrationConnectionString, commandTimeout: -1);
        return new ErpDatabase(primary, queries, migrator, options, loggerFactory, owned);
    }

    /// <summary>The primary data source.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// The data source queries use: the replica when configured; else, when <see cref="Create(ErpDbOptions, ILoggerFactory?)"/> built the
    /// primary from its connection string, a second pool to the primary that prepares the statements it runs often; else the primary.
    /// </summary>
    public NpgsqlDataSource ReadDataSource { get; }

    /// <summary>The data source migrations use: the migration login when configured, else the primary.</summary>
    public NpgsqlDataSource MigrationDataSource { get; }

    /// <summary>The settings this instance was built with.</summary>
    public ErpDbOptions Options { get; }

    /// <summary>Migrate, status, verify and review script of the warehouse schema, through <see cref="MigrationDataSource"/>.</summary>
    public MigrationRunner Migrations { get; }

    /// <summary>Typed, merchant-scoped queries over the materialized views, with freshness.</summary>
    public WarehouseQueries Queries { get; }

    /// <summary>Bulk upserts into the primary of every fact and dimension an app feeds (merchants, shops, products, orders with their lines,
    /// purchases, stock counts, payments, expenses, product metrics, traffic and more), each batch posted to the books in its transaction.</summary>
    public Ingestor Ingest { get; }

    /// <summary>Refresh of the materialized views (one, all, or the due ones) and their status, on the primary.</summary>
    public ViewRefresher Refresh { get; }

    /// <summary>What a DBA should act on (database checks, pending or drifted scripts, pg_cron jobs), through <see cref="MigrationDataSource"/>.</summary>
    public DatabaseDoctor Doctor { get; }

    /// <summary>Keeps the fact partitions ahead (<c>dw.ensure_partitions</c>), on the primary.</summary>
    public PartitionKeeper Partitions { get; }

    internal ILoggerFactory LoggerFactory { get; }

    /// <summary>
    /// Re-posts the books from the facts (<c>dw.post</c>): for the orders of <paramref name="merchantId"/> (null = every merchant) dated
    /// <paramref name="from"/>..<paramref name="to"/> (inclusive, null = unbounded): cost and units from lines, stock movements and positions,
    /// and receivables; then pending stock movements and counts, and the settlement of the merchant's receivables. One
    /// transaction; idempotent (a second run returns zeros). Ingest already posts what it writes: this is for history and repairs.
    /// Runs as the primary's login (<c>erp_writer</c> or the owner) and touches only the rows of the merchants in scope.
    /// </summary>
    /// <param name="merchantId">One merchant, or null for all.</param>
    /// <param name="from">First order date, or null.</param>
    /// <param name="to">Last order date, or null.</param>
    /// <param name="cancellationToken">Cancels the run; nothing of it is saved.</param>
    /// <returns>What changed, per book.</returns>
    /// <exception cref="ArgumentException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    /// <exception cref="WarehouseNotMigratedException">The database is not migrated, or older than this library.</exception>
    /// <exception cref="WarehouseAccessException">The login is not in erp_writer (nor the owner), the server refused the login, or the database does not exist.</exception>
    public Task<PostResult> PostAsync(long? merchantId = null, DateOnly? from = null, DateOnly? to = null, CancellationToken cancellationToken = default) =>
        WarehouseErrors.GuardAsync(RequiredRole.Writer, () => new BooksPoster(DataSource, LoggerFactory.CreateLogger<BooksPoster>()).PostAsync(merchantId, from, to, cancellationToken));

    /// <summary>
    /// Re-costs booked order lines on purpose (<c>dw.recost_order_lines</c>): each line of the orders of <paramref name="merchantId"/>
    /// (null = every merchant) dated <paramref name="from"/>..<paramref name="to"/> (inclusive, null = unbounded), numbered
    /// <paramref name="orderNo"/> when given, takes its product's current <c>unit_cost</c> in CNY at the rate of the order date, and the
    /// orders whose lines changed are posted, so their cost and profit follow. Booked costs are otherwise frozen: neither a re-import nor
    /// <see cref="PostAsync"/> changes them (docs/business-flows.md, "Booked costs stay booked"). Stock positions and the movements'
    /// costs do not move. One transaction; idempotent (a second run re-costs nothing).
    /// </summary>
    /// <param name="merchantId">One merchant, or null for all.</param>
    /// <param name="from">First order date, or null.</param>
    /// <param name="to">Last order date, or null.</param>
    /// <param name="orderNo">Only the orders with this number, or null for all in the range.</param>
    /// <param name="cancellationToken">Cancels the run; nothing of it is saved.</param>
    /// <returns>The orders selected, lines re-costed and orders whose cost changed.</returns>
    /// <exception cref="ArgumentException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    /// <exception cref="Npgsql.PostgresException">A product's cost is in a currency with no rate for an order date (dw.exchange_rate_on: at most 31 days old) (SQLSTATE 22000, naming the SKU); nothing changed.</exception>
    /// <exception cref="WarehouseNotMigratedException">The database is not migrated, or older than this library.</exception>
    /// <exception cref="WarehouseAccessException">The login is not in erp_writer (nor the owner), the server refused the login, or the database does not exist.</exception>
    public Task<RecostResult> RecostAsync(long? merchantId = null, DateOnly? from = null, DateOnly? to = null, string? orderNo = null, CancellationToken cancellationToken = default) =>
        WarehouseErrors.GuardAsync(RequiredRole.Writer, () => new BooksPoster(DataSource, LoggerFactory.CreateLogger<BooksPoster>()).RecostAsync(merchantId, from, to, orderNo, cancellationToken));

    /// <summary>
    /// Writes off bad debts (<c>dw.write_off_receivables</c>): the receivables of <paramref name="merchantId"/>'s invoices
    /// <paramref name="invoiceNumbers"/>, each still owing something (open, partially paid or overdue), become written off as of
    /// <paramref name="at"/> (now when null), and their overdue alerts resolve. A receivable written off already keeps its own date,
    /// so a second call changes nothing. The date counts for <see cref="Queries.Receivables.ReceivableQuery.AsOf"/>: as of an earlier
    /// day the receivable is outstanding as it stood then (docs/business-flows.md). All or nothing, in one transaction.
    /// </summary>
    /// <param name="merchantId">The merchant whose invoices these are.</param>
    /// <param name="invoiceNumbers">The invoice numbers (each receivable's <c>invoice_no</c>); at least one.</param>
    /// <param name="at">When the debts were written off: not in the future, nor before an invoice's date; null for now.</param>
    /// <param name="cancellationToken">Cancels the call; nothing of it is saved.</param>
    /// <returns>The receivables written off, what they still owed in CNY, and the overdue alerts resolved.</returns>
    /// <exception cref="ArgumentException">No invoice number, a blank one, one the merchant has no receivable for, one paid or cancelled,
    /// or a time in the future or before an invoice's date; the message names the invoice, and nothing was written off.</exception>
    /// <exception cref="WarehouseNotMigratedException">The database is not migrated, or older than this library.</exception>
    /// <exception cref="WarehouseAccessException">The login is not in erp_writer (nor the owner), the server refused the login, or the database does not exist.</exception>
    public Task<WriteOffResult> WriteOffAsync(long merchantId, IReadOnlyCollection<string> invoiceNumbers, DateTimeOffset? at = null, CancellationToken cancellationToken = default) =>
        WarehouseErrors.GuardAsync(RequiredRole.Writer, () => new BooksPoster(DataSource, LoggerFactory.CreateLogger<BooksPoster>()).WriteOffAsync(merchantId, invoiceNumbers, at, cancellationToken));

    /// <summary>
    /// Undoes the write-off of a merchant's invoices (a debt recovered, a write-off made by mistake): the written-off receivables of
    /// <paramref name="invoiceNumbers"/> owe again, each with the status its receipts and order give it (paid, partially paid, open,
    /// or cancelled when its order is no longer a sale), overdue with an open alert when past due. The write-off keeps its period:
    /// as of a day it covered (<see cref="Queries.Receivables.ReceivableQuery.AsOf"/>) the receivable is still written off, so a
    /// closed month's list does not change. An invoice that is not written off is left as it is, so a second call changes nothing.
    /// All or nothing, in one transaction.
    /// </summary>
    /// <param name="merchantId">The merchant whose invoices these are.</param>
    /// <param name="invoiceNumbers">The invoice numbers (each receivable's <c>invoice_no</c>); at least one.</param>
    /// <param name="cancellationToken">Cancels the call; nothing of it is saved.</param>
    /// <returns>The receivables reinstated, what they owe now in CNY, and how many are overdue.</returns>
    /// <exception cref="ArgumentException">No invoice number, a blank one, or one the merchant has no receivable for; the message names the
    /// invoice, and nothing was reinstated.</exception>
    /// <exception cref="WarehouseNotMigratedException">The database is not migrated, or older than this library.</exception>
    /// <exception cref="WarehouseAccessException">The login is not in erp_writer (nor the owner), the server refused the login, or the database does not exist.</exception>
    public Task<ReinstateResult> ReinstateAsync(long merchantId, IReadOnlyCollection<string> invoiceNumbers, CancellationToken cancellationToken = default) =>
        WarehouseErrors.GuardAsync(RequiredRole.Writer, () => new BooksPoster(DataSource, LoggerFactory.CreateLogger<BooksPoster>()).ReinstateAsync(merchantId, invoiceNumbers, cancellationToken));

    /// <summary>
    /// Whether the database's schema matches the scripts of this Erp.Db, as the app's own login sees it: any warehouse login
    /// (<c>erp_reader</c>, <c>erp_writer</c> or the owner) may ask, through <c>ops.schema_journal_rows()</c>, without the migrating
    /// login and without read access to the journal table. <see cref="MigrationStatusReport.Pending"/> lists the scripts the
    /// database lacks (<c>erpdb migrate</c> applies them), <see cref="MigrationStatusReport.Unknown"/> those it holds that this
    /// library does not know (a newer Erp.Db migrated it). The comparison is <see cref="MigrationRunner.StatusAsync"/>'s, except
    /// for what only the migrating login decides or a DBA repairs: the migrate variables are taken as applied, and functions replaced
    /// by hand, the views a migration would rebuild and <see cref="MigrationStatusReport.ObjectDrift"/> are not looked for
    /// (<c>erpdb status</c> and <c>erpdb doctor</c> do). Read on a connection of <see cref="DataSource"/>. The health check
    /// (<c>AddHealthChecks().AddErpDb()</c>) reports it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="WarehouseNotMigratedException">
    /// The database lacks <c>ops.schema_journal_rows()</c>: it was never migrated, or by an Erp.Db older than this one; migrate it.
    /// </exception>
    /// <exception cref="WarehouseAccessException">The login is in none of the warehouse's roles, the server refused the login, or the database does not exist.</exception>
    public Task<MigrationStatusReport> SchemaStatusAsync(CancellationToken cancellationToken = default) =>
        WarehouseErrors.GuardAsync(RequiredRole.Any, () => Migrations.StatusForAnyLoginAsync(DataSource, cancellationToken));

    /// <summary>
    /// The warehouse's today: the date in the database's time zone (its <c>TimeZone</c> setting, which a DBA sets with
    /// <c>ALTER DATABASE ... SET timezone = 'Asia/Shanghai'</c>), which is what <c>CURRENT_DATE</c> returns on the server and so
    /// the day receivables age to, overdue marking and the refreshed windows end on; not this machine's date. The queries'
    /// default periods use the same day (<see cref="QueryResult{T}.AsOf"/>); end a period here on it (docs/today.md).
    /// Read on a connection of <see cref="ReadDataSource"/>: usually without a round trip, from the time zone the server reports.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<DateOnly> TodayAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await QueryConnection.OpenAsync(this, cancellationToken);
        return connection.Today;
    }

    /// <summary>Disposes the data sources this instance built (none of those passed in). Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in owned)
        {
            await dataSource.DisposeAsync();
        }
    }

    /// <summary>
    /// Disposes the data sources this instance built, as <see cref="DisposeAsync"/> does, for a container disposed synchronously
    /// (<c>using var provider = services.BuildServiceProvider()</c>), which refuses a singleton that is only asynchronously disposable.
    /// </summary>
    public void Dispose()
    {
        foreach (var dataSource in owned)
        {
            dataSource.Dispose();
        }
    }

    /// <summary>
    /// A data source for <paramref name="connectionString"/>; <paramref name="commandTimeout"/> in seconds (0 = none, -1 = the string's own).
    /// One <paramref name="forQueries"/> prepares up to <see cref="PreparedQueries"/> statements per connection unless the string sets
    /// <c>Max Auto Prepare</c> itself (docs/prepared-queries.md).
    /// </summary>
    private static NpgsqlDataSource Build(string connectionString, int commandTimeout, ILoggerFactory? loggerFactory, bool forQueries = false)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "Erp.Db";
        if (commandTimeout >= 0)
        {
            builder.ConnectionStringBuilder.CommandTimeout = commandTimeout;
        }
        if (forQueries && !SetsMaxAutoPrepare(connectionString))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = PreparedQueries;
        }
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }
        return builder.Build();
    }

    /// <summary>
    /// Refuses settings no query could run with, when the database is built rather than on every call: a <see cref="ErpDbOptions.MaxPageSize"/>
    /// below 1 would make each paged query fail with "pageSize must be between 1 and 0", blaming the caller's page; a negative
    /// <see cref="ErpDbOptions.QueryTimeout"/> (other than <see cref="Timeout.InfiniteTimeSpan"/>) or
    /// <see cref="ErpDbOptions.ResultCacheRows"/> would silently mean none.
    /// </summary>
    private static void ThrowIfInvalid(ErpDbOptions? options)
    {
        var problem = options switch
        {
            { MaxPageSize: < 1 } => $"ErpDbOptions.MaxPageSize is {options.MaxPageSize}: set ErpDb:MaxPageSize to at least 1 (the largest page a query may ask for; default 500), or leave it out.",
            { QueryTimeout: var t } when t < TimeSpan.Zero && t != Timeout.InfiniteTimeSpan =>
                $"ErpDbOptions.QueryTimeout is {t}: set ErpDb:QueryTimeout to a positive time (default 00:00:30), or 00:00:00 for no limit.",
            { ResultCacheRows: < 0 } => $"ErpDbOptions.ResultCacheRows is {options.ResultCacheRows}: set ErpDb:ResultCacheRows to 0 (no cache) or more (default 50000).",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(options));
        }
    }

    /// <summary>Statements a query connection keeps prepared: the library's queries, their scope statement and platform check, with room to spare.</summary>
    internal const int PreparedQueries = 64;

    /// <summary>
    /// Whether the string turns preparation off by an explicit <c>Max Auto Prepare=0</c> (a server behind a pooler that cannot keep
    /// prepared statements): the ingest then prepares nothing either (<see cref="Ingest.Engine.KeyedQuestion"/>).
    /// </summary>
    internal static bool TurnsPreparationOff(string connectionString) =>
        SetsMaxAutoPrepare(connectionString) && new NpgsqlConnectionStringBuilder(connectionString).MaxAutoPrepare == 0;

    /// <summary>Whether the string names Max Auto Prepare (either spelling), so that an explicit 0 keeps preparation off.</summary>
    private static bool SetsMaxAutoPrepare(string connectionString) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase));
}
