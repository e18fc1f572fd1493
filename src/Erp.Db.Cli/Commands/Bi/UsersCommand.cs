using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries;
using Erp.Db.Queries.Trends;
using Erp.Db.Queries.Users;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb users</c>: DAU, MAU, new and returning users, sessions, retention, ARPU, ARPPU and cohort LTV.</summary>
internal sealed class UsersCommand : Command
{
    private readonly Option<Granularity> grain = GrainOption.Create("day, week (ISO, from Monday) or month.", Granularity.Day);
    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PeriodOptions period;

    public UsersCommand(CommandRunner runner, Database database)
        : base("users", "User activity per day, week or month: DAU, MAU, new and returning users, sessions, retention, ARPU, ARPPU and cohort LTV.\n"
            + "Average session, D1/D7/D30 retention, ARPU and ARPPU per bucket, and LTV 30/90/365 days of the first-order cohorts of the months the period touches. Every day, week or month of the period is a bucket: one without data has its counts, DAU and revenue 0 and its ratios (avg session, retention, ARPU, ARPPU) null; its MAU still counts the 30 days ending it. JSON fields are the camelCase of the names below (new_users is newUsers).\n"
            + MetricDefinitions.Users)
    {
        this.database = database;
        merchant = new MerchantOption(this);
        period = new PeriodOptions(this, defaultDays: 30);
        Options.Add(grain);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var query = new UserQuery
        {
            MerchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken),
            Period = await period.ResolveAsync(parseResult, erp, cancellationToken),
            Grain = parseResult.GetValue(grain),
        };
        var result = await erp.Queries.UsersAsync(query, cancellationToken);
        var data = result.Data;
        var table = new TableView(
            [query.Grain.ToString(), "DAU", "MAU", "New", "Returning", "Avg session s", "D1", "D7", "D30", "Revenue", "ARPU", "ARPPU"],
            [.. data.Buckets.Select(b => BiResult.Row($"{b.Bucket:yyyy-MM-dd}", Cells.Money(b.Dau), Cells.Count(b.Mau), Cells.Count(b.NewUsers), Cells.Count(b.ReturningUsers),
                Cells.Money(b.AvgSessionSeconds), Cells.Percent(b.RetentionD1), Cells.Percent(b.RetentionD7), Cells.Percent(b.RetentionD30),
                Cells.Money(b.Revenue), Cells.Money(b.Arpu), Cells.Money(b.Arppu)))],
            $"{data.Period.Start:yyyy-MM-dd}..{data.Period.End:yyyy-MM-dd}: {Cells.Count(data.Buckets.Count)} buckets.", Records: data.Buckets);
        var cohorts = new TableView(
            ["Cohort", "Customers", "LTV 30d", "LTV 90d", "LTV 365d"],
            [.. data.Cohorts.Select(c => BiResult.Row($"{c.CohortMonth:yyyy-MM}", Cells.Count(c.Customers), Cells.Money(c.Ltv30), Cells.Money(c.Ltv90), Cells.Money(c.Ltv365)))],
            "LTV by first-order month (n/a: not yet elapsed).", Records: data.Cohorts);
        return BiResult.From(result, PeriodMeta.Buckets(data.Period, query.Grain, result.AsOf), table, cohorts);
    }
}
