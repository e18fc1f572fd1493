using System.CommandLine;
using System.Text.Json;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries.Alerts;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb alerts</c>: a merchant's open and resolved alerts.</summary>
internal sealed class AlertsCommand : Command
{
    private readonly Option<bool> open = new("--open") { Description = "Only open alerts (not yet resolved)." };
    private readonly Option<string[]> kinds = ListOption.Create("--kind",
        $"Only these kinds: {string.Join(", ", AlertQuery.Kinds)}; several separated by commas, by spaces or by repeating the option. Default: all. "
        + "data.byKind counts each kind (total and open) over the same filter.");
    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PagingOptions paging;

    public AlertsCommand(CommandRunner runner, Database database)
        : base("alerts", "Alerts: low_stock, out_of_stock, stock_shortage and overdue_receivable; open first, then the newest.\nEach with its subject, raised and resolved times and details (its figures when last raised). An alert is raised and resolved by the check that owns it, not when you read: "
            + "stock_shortage as orders, purchases and stock counts are posted; low_stock and out_of_stock at the scheduled stock check (every 6 hours by default: the pg_cron job check_stock_levels, or erpdb refresh --watch, which also runs it when it starts; a writer runs it now with SELECT dw.check_stock_levels()); "
            + "overdue_receivable at the daily overdue check, and resolved at once by a payment that settles it. Alerts about views: erpdb doctor.")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        Options.Add(open);
        Options.Add(kinds);
        paging = new PagingOptions(this, defaultSize: 50);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var query = new AlertQuery
        {
            MerchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken),
            OpenOnly = parseResult.GetValue(open),
            OnlyKinds = ListOption.Values(parseResult, kinds),
            Paging = paging.Resolve(parseResult),
        };
        var result = await erp.Queries.AlertsAsync(query, cancellationToken);
        var data = result.Data;
        var table = new TableView(
            ["Kind", "Subject", "Raised", "Resolved", "Details"],
            [.. data.Alerts.Items.Select(a => BiResult.Row(a.Kind, a.Subject, Cells.Time(a.RaisedAt), a.ResolvedAt is { } resolved ? Cells.Time(resolved) : "open", Details(a.Details)))],
            $"{Cells.Count(data.Total)} alerts, {Cells.Count(data.Open)} open{(data.ByKind.Count > 0 ? $" ({string.Join(", ", data.ByKind.Select(k => $"{k.Kind} {Cells.Count(k.Open)} open of {Cells.Count(k.Total)}"))})" : "")}. Page {data.Alerts.Page} of {Math.Max(1, data.Alerts.Pages)}.", Records: data.Alerts.Items, Page: PageOf.From(data.Alerts));
        return BiResult.From(result, table);
    }

    /// <summary>The details object as "key=value" pairs on one line.</summary>
    private static string Details(JsonElement details) => details.ValueKind == JsonValueKind.Object
        ? string.Join(", ", details.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null)
            .Select(p => $"{p.Name}={(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}"))
        : details.GetRawText();
}
