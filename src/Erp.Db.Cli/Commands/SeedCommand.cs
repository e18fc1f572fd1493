using System.CommandLine;
using System.Globalization;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Refresh;
using Erp.Db.Seeding;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Erp.Db.Cli.Commands;

/// <summary><c>erpdb seed</c>: load deterministic demo data with binary COPY, in one transaction.</summary>
internal sealed class SeedCommand : Command
{
    private readonly Option<int> orders = new("--orders")
    {
        Description = "Sales orders to generate over all merchants (1..50,000,000); each has 1-5 lines.",
        DefaultValueFactory = _ => new SeedOptions().Orders,
    };

    private readonly Option<int> days = new("--days")
    {
        Description = "Days of history, ending at --end-date (1..3660).",
        DefaultValueFactory = _ => new SeedOptions().Days,
    };

    private readonly Option<int> merchants = new("--merchants")
    {
        Description = "Merchants (tenants), 1..100.",
        DefaultValueFactory = _ => new SeedOptions().Merchants,
    };

    private readonly Option<int> shops = new("--shops")
    {
        Description = "Shops per merchant, 1..50, spread over Shopee, TikTok Shop, Amazon, Lazada, Shopify and an own web shop.",
        DefaultValueFactory = _ => new SeedOptions().ShopsPerMerchant,
    };

    private readonly Option<int?> products = new("--products")
    {
        Description = "Products per merchant (5..1,000,000). Default: 3 x sqrt(orders), between 30 and 20,000.",
    };

    private readonly Option<int> seed = new("--seed")
    {
        Description = "Random seed: the same seed and options give the same data.",
        DefaultValueFactory = _ => new SeedOptions().RandomSeed,
    };

    private readonly Option<DateOnly?> endDate = new("--end-date")
    {
        Description = "Last day of the data, yyyy-MM-dd. Default: yesterday, the day before the database's today (its time zone's CURRENT_DATE, as the BI commands count days: docs/today.md).",
        HelpName = "yyyy-MM-dd",
    };

    private readonly Option<bool> replace = new("--replace")
    {
        Description = "Truncate the merchants' dw dimensions, all dw facts, exchange rates and config first (in the same transaction). Without it, seeding a database that has data is refused.",
    };

    private readonly Database database;
    private readonly CliConsole console;
    private readonly ILoggerFactory loggers;

    public SeedCommand(CommandRunner runner, Database database, CliConsole console, ILoggerFactory loggers)
        : base("seed", "Load realistic, deterministic demo data into an empty warehouse.\n"
            + "Merchants, shops on several platforms, products, customers, orders with seasonality, items, product metrics, inventory, receivables, payments, expenses, traffic, activity, monthly sales targets, festival campaigns, with binary COPY, "
            + "in one transaction, then ANALYZE and a refresh of the views. Refuses a database that already has data unless --replace. A progress bar shows on "
            + "stderr when it is a terminal.")
    {
        this.database = database;
        this.console = console;
        this.loggers = loggers;
        Options.Add(orders);
        Options.Add(days);
        Options.Add(merchants);
        Options.Add(shops);
        Options.Add(products);
        Options.Add(seed);
        Options.Add(endDate);
        Options.Add(replace);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var options = ReadOptions(parseResult);
        var dataSource = (await database.GetMigratorAsync(parseResult, cancellationToken)).MigrationDataSource;
        var seeder = new Seeder(dataSource, loggers.CreateLogger<Seeder>());
        SeedReport report;
        try
        {
            report = ShowsProgress
                ? await SeedWithProgressBarAsync(seeder, options, cancellationToken)
                : await seeder.SeedAsync(options, null, cancellationToken);
        }
        catch (SeedTargetNotEmptyException e)
        {
            throw CliException.Validation(e.Message, new { table = e.Table });
        }
        catch (SeedOptionsException e)
        {
            throw InvalidOptions(e.Problems);
        }
        console.Error.WriteLine($"erpdb: views refreshed with the seeded data ({report.Refreshed.Count(r => r.Status == RefreshStatus.Succeeded)} succeeded, "
            + $"{report.Refreshed.Count(r => r.Status == RefreshStatus.Failed)} failed; 'erpdb views' shows them).");
        return SeedView.Result(report);
    }

    private SeedOptions ReadOptions(ParseResult parseResult)
    {
        var end = parseResult.GetValue(endDate);
        var options = new SeedOptions
        {
            Orders = parseResult.GetValue(orders),
            Days = parseResult.GetValue(days),
            Merchants = parseResult.GetValue(merchants),
            ShopsPerMerchant = parseResult.GetValue(shops),
            ProductsPerMerchant = parseResult.GetValue(products),
            RandomSeed = parseResult.GetValue(seed),
            EndDate = end,
            ExistingData = parseResult.GetValue(replace) ? ExistingDataPolicy.Replace : ExistingDataPolicy.Refuse,
        };
        return options.Validate() is { Count: > 0 } problems ? throw InvalidOptions(problems) : options;
    }

    // details.field names the (first) option, as for every other command's value out of range.
    private static CliException InvalidOptions(IReadOnlyList<SeedOptionProblem> problems) =>
        CliException.Validation(string.Join(" ", problems.Select(p => p.Message)),
            new { field = problems[0].Option, problems = problems.Select(p => new { field = p.Option, message = p.Message }) });

    /// <summary>Only a real terminal on stderr gets a progress bar; redirected or captured stderr gets nothing.</summary>
    private bool ShowsProgress => ReferenceEquals(console.Error, Console.Error) && !Console.IsErrorRedirected;

    private static async Task<SeedReport> SeedWithProgressBarAsync(Seeder seeder, SeedOptions options, CancellationToken cancellationToken)
    {
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await terminal.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(context => seeder.SeedAsync(options, new SeedProgressBar(context), cancellationToken));
    }
}
