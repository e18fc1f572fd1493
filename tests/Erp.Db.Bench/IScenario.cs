namespace Erp.Db.Bench;

/// <summary>One benchmark scenario: measures Erp.Db and its baseline in the same run.</summary>
internal interface IScenario
{
    /// <summary>The scenario's name, e.g. <c>migrate</c>.</summary>
    string Name { get; }

    /// <summary>Runs the scenario and returns its figures.</summary>
    Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken);
}
