namespace Erp.Db.Seeding.Loading;

/// <summary>The seeder's SQL: constants only, values always go in as parameters or through COPY.</summary>
internal static class SeedSql
{
    /// <summary>"erpdbsee" in ASCII: one seed at a time per database (migrate uses "erpdb").</summary>
    public const long LockKey = 0x6572_7064_6273_6565;

    public const string Lock = "SELECT pg_catalog.pg_advisory_xact_lock(@key)";

    /// <summary>The first table (in this order) that holds rows, or NULL when all are empty.</summary>
    public const string FirstNonEmptyTable = """
        SELECT CASE
            WHEN EXISTS (SELECT 1 FROM dw.fact_sales_orders) THEN 'dw.fact_sales_orders'
            WHEN EXISTS (SELECT 1 FROM dw.dim_merchants) THEN 'dw.dim_merchants'
            WHEN EXISTS (SELECT 1 FROM dw.fact_exchange_rates) THEN 'dw.fact_exchange_rates'
            WHEN EXISTS (SELECT 1 FROM dw.fact_inventory) THEN 'dw.fact_inventory'
            WHEN EXISTS (SELECT 1 FROM dw.fact_expenses) THEN 'dw.fact_expenses'
            WHEN EXISTS (SELECT 1 FROM dw.fact_accounts_receivable) THEN 'dw.fact_accounts_receivable'
            WHEN EXISTS (SELECT 1 FROM dw.fact_payment_receipts) THEN 'dw.fact_payment_receipts'
            WHEN EXISTS (SELECT 1 FROM dw.fact_traffic_funnel) THEN 'dw.fact_traffic_funnel'
            WHEN EXISTS (SELECT 1 FROM dw.fact_user_activity) THEN 'dw.fact_user_activity'
        END
        """;

    /// <summary>
    /// Every merchant-owned dw table and the exchange rates; the shared reference rows (date,
    /// currencies, platforms, regions, channels, user levels) stay. The A-class config tables go too,
    /// as they reference the merchants.
    /// </summary>
    public const string Truncate = """
        TRUNCATE dw.fact_order_items, dw.fact_inventory_transactions, dw.fact_payment_receipts, dw.fact_receivable_reopenings, dw.fact_accounts_receivable,
                 dw.fact_expenses, dw.fact_sales_orders, dw.fact_product_metrics, dw.fact_inventory, dw.fact_traffic_funnel,
                 dw.fact_user_activity, dw.cfg_sales_campaigns, dw.cfg_sales_targets, dw.cfg_performance_configs,
                 dw.fact_stock_counts, dw.alerts,
                 dw.dim_customers, dw.dim_products, dw.dim_categories, dw.dim_shops, dw.dim_merchants, dw.fact_exchange_rates
        RESTART IDENTITY
        """;

    /// <summary>
    /// The foreign keys of the dw fact tables (the parent constraint of a partitioned table only), as
    /// the statements that drop them and add them back exactly as the catalog defines them.
    /// </summary>
    public const string FactForeignKeys = """
        SELECT pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', con.conrelid::regclass, con.conname) AS DropSql,
               pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I %s', con.conrelid::regclass, con.conname,
                                 pg_catalog.pg_get_constraintdef(con.oid)) AS AddSql
          FROM pg_catalog.pg_constraint AS con
          JOIN pg_catalog.pg_class AS c ON c.oid = con.conrelid
         WHERE con.contype = 'f' AND con.conparentid = 0
           AND c.relnamespace = 'dw'::regnamespace AND c.relname LIKE 'fact\_%' AND NOT c.relispartition
         ORDER BY c.relname, con.conname
        """;

    /// <summary>The payments of the load, by invoice number, until posting has made their receivables.</summary>
    public const string CreatePayments = """
        CREATE TEMP TABLE seed_payments (
            merchant_id bigint NOT NULL, receipt_id bigint NOT NULL, invoice_no text NOT NULL, receipt_date date NOT NULL,
            received_at timestamptz NOT NULL, currency_code char(3) NOT NULL, exchange_rate numeric(18, 8) NOT NULL,
            amount numeric(18, 2) NOT NULL, payment_method text NOT NULL, reference_no text NOT NULL
        ) ON COMMIT DROP
        """;

    /// <summary>
    /// Posts every order (cost, stock movements and positions, receivables), then
    /// records the payments against the receivables their invoice numbers name and settles them
    /// (received amounts, statuses, the orders' is_paid): the books come from posting, as after an import.
    /// Then the scheduled checks run once, as the schedule would at its next run (sql/schedules): receivables past due with
    /// money outstanding become overdue, and they and the low and empty positions get their open alerts, so the demo's
    /// erpdb alerts and erpdb receivables --status overdue show what a running warehouse shows.
    /// </summary>
    public const string Post = """
        SELECT count(*) FROM dw.post();
        INSERT INTO dw.fact_payment_receipts (merchant_id, receipt_id, receivable_id, receipt_date, received_at, currency_code,
                                              exchange_rate, amount, payment_method, reference_no)
        SELECT p.merchant_id, p.receipt_id, r.receivable_id, p.receipt_date, p.received_at, p.currency_code,
               p.exchange_rate, p.amount, p.payment_method, p.reference_no
        FROM pg_temp.seed_payments AS p
        JOIN dw.fact_accounts_receivable AS r ON r.merchant_id = p.merchant_id AND r.invoice_no = p.invoice_no
        ORDER BY p.merchant_id, p.receipt_id;
        SELECT dw.settle_receivables(NULL, NULL);
        SELECT dw.mark_overdue_receivables();
        SELECT dw.check_stock_levels();
        """;

    public const string CalendarCovered = "SELECT count(*) FROM dw.dim_date WHERE calendar_date BETWEEN @from AND @to";

    public const string FillCalendar = "SELECT dw.fill_dim_date(@from, @to)";

    public const string EnsurePartitions = "SELECT dw.ensure_partitions(@monthsAhead, @fromMonth)";

    public const string SetSequence = "SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence(@table, @column), @value)";

    public const string BusinessDateProblems = "SELECT dw.business_date_problem(@first), dw.business_date_problem(@last)";

    public const string Platforms = "SELECT platform_code AS Code, platform_id AS Id FROM dw.dim_platforms";

    public const string AreaRegions = "SELECT region_id FROM dw.dim_regions WHERE region_level = 'area' AND country_code = 'CN' ORDER BY region_id";

    public const string Channels = "SELECT channel_code AS Code, channel_id AS Id FROM dw.dim_channels";

    public const string UserLevels = "SELECT level_code AS Code, user_level_id AS Id FROM dw.dim_user_levels";

    public const string Currencies = "SELECT currency_code FROM dw.dim_currencies ORDER BY currency_code";

    public const string AnalyzeDimensions = "ANALYZE dw.dim_merchants, dw.dim_shops, dw.dim_categories, dw.dim_products, dw.dim_customers";

    public const string AnalyzeForPosting = "ANALYZE dw.fact_sales_orders, dw.fact_order_items, dw.fact_inventory, dw.fact_inventory_transactions, dw.fact_expenses, pg_temp.seed_payments";

    public const string Analyze = """
        ANALYZE dw.dim_merchants, dw.dim_shops, dw.dim_categories, dw.dim_products, dw.dim_customers, dw.fact_exchange_rates,
                dw.fact_sales_orders, dw.fact_order_items, dw.fact_product_metrics, dw.fact_inventory, dw.fact_inventory_transactions,
                dw.fact_accounts_receivable, dw.fact_payment_receipts, dw.fact_expenses, dw.fact_traffic_funnel, dw.fact_user_activity
        """;

    /// <summary>Identity columns the seeder fills with explicit values: their sequences move past them.</summary>
    public static readonly IReadOnlyList<(string Table, string Column)> Identities =
    [
        ("dw.dim_merchants", "merchant_id"), ("dw.dim_shops", "shop_id"), ("dw.dim_categories", "category_id"),
        ("dw.dim_products", "product_id"), ("dw.dim_customers", "customer_id"), ("dw.fact_sales_orders", "order_id"),
        ("dw.fact_order_items", "order_item_id"), ("dw.fact_inventory_transactions", "transaction_id"),
        ("dw.fact_payment_receipts", "receipt_id"), ("dw.fact_expenses", "expense_id"),
        ("dw.cfg_sales_targets", "target_id"), ("dw.cfg_sales_campaigns", "campaign_id"),
    ];
}
