namespace Erp.Db.Ingest;

/// <summary>How an <see cref="Ingestor"/> runs its batches; see <see cref="Ingestor.With(IngestOptions)"/>.</summary>
public sealed record IngestOptions
{
    /// <summary>The defaults: batches are committed, and up to 100 bad rows are reported per rejected batch.</summary>
    public static IngestOptions Default { get; } = new();

    /// <summary>
    /// Runs every step of a batch (copy, checks, upsert, posting) and then rolls it back: the result says what would be inserted,
    /// updated and left alone, and a bad batch fails exactly as it would for real, but nothing is ever written.
    /// </summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// The input fields the rows carry values for, by their snake_case names (a CSV header's: <c>sku</c>, <c>unit_cost</c>,
    /// <c>shop_code</c>; docs/importing.md lists each entity's), or null (the default) when they carry all of them. A stored row
    /// keeps what it holds in every column that comes only from fields not named here; a new row takes the record's values for
    /// them (its defaults). So a file of <c>sku, product_name</c> renames products without resetting their unit cost and safety
    /// stock, and orders without a <c>status</c> column keep their status. <c>erpdb import</c> passes the file's header.
    /// A name that is not a field of the entity fails the batch with <see cref="ArgumentException"/>.
    /// </summary>
    public IReadOnlySet<string>? SuppliedFields { get; init; }

    /// <summary>
    /// For <see cref="Ingestor.UpsertOrdersWithItemsAsync(IEnumerable{OrderRow}, IEnumerable{OrderItemRow}, System.Threading.CancellationToken)"/>:
    /// the fields the order lines carry values for, as <see cref="SuppliedFields"/> names the orders' (null: all of them). Ignored by
    /// the calls with one input. <c>erpdb import orders FILE --items FILE</c> passes the lines file's header.
    /// </summary>
    public IReadOnlySet<string>? SuppliedItemFields { get; init; }

    /// <summary>
    /// For the order-lines calls (<see cref="Ingestor.UpsertOrderItemsAsync(IEnumerable{OrderItemRow}, System.Threading.CancellationToken)"/>,
    /// and the lines of <see cref="Ingestor.UpsertOrdersWithItemsAsync(IEnumerable{OrderRow}, IEnumerable{OrderItemRow}, System.Threading.CancellationToken)"/>):
    /// the lines of each order the batch names are that order's whole set. Its stored lines the batch does not name (by
    /// <c>line_no</c>) are deleted, and posting takes back what they had posted: their stock movements are reversed, and the order's
    /// cost and units follow its remaining lines. Orders the batch does not name keep all their lines. Default false: a batch leaves
    /// the lines it lacks as they are. <see cref="IngestResult.Deleted"/> counts the lines deleted. <c>erpdb import order-items --replace</c>.
    /// </summary>
    public bool ReplaceOrderLines { get; init; }

    /// <summary>
    /// For purchases, stock counts and inventory: the warehouse codes (without case) the batch may open, or null (the default) when
    /// any code may open one. With a set, a row naming a warehouse that is neither its merchant's shipping warehouse, one it holds a
    /// stock position in, nor in the set fails the batch (a <see cref="IngestError"/> on <c>warehouse_code</c> listing the merchant's
    /// warehouses): a typo then cannot open a position of phantom stock. <c>erpdb import</c> passes its <c>--new-warehouse</c> codes,
    /// none unless given.
    /// </summary>
    public IReadOnlySet<string>? NewWarehouses { get; init; }

    /// <summary>
    /// For stock counts: refuse a new count older than one already posted for its position. Such a late count adjusts nothing (the
    /// newer count set the book, and posting the older one would undo it); by default (false) it is stored as history with the book
    /// of its time, without a word. With true it fails the batch (a <see cref="IngestError"/> on <c>counted_at</c> naming the latest
    /// count), so that a file counted late is noticed. <c>erpdb import stock-counts</c> refuses unless given <c>--late-counts</c>.
    /// </summary>
    public bool RefuseLateCounts { get; init; }

    /// <summary>How many bad rows a rejected batch reports at most in <see cref="IngestException.Errors"/> (at least 1; default 100).</summary>
    public int MaxErrors { get; init; } = 100;

    /// <summary>
    /// The fewest rows for which a batch of orders writes its stored rows by UPDATE instead of by upsert (IngestPlan.UpdateStored):
    /// about 5 µs a row less, but the batch then holds its merchants' ingest lock alone (BatchLoader), so that smaller batches of one
    /// merchant keep running side by side. Internal: tests set it to run either way on the same rows.
    /// </summary>
    internal long UpdateStoredMinRows { get; init; } = 10_000;
}
