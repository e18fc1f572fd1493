namespace Erp.Db.Bench;

/// <summary>One measured figure and the baseline it is compared with, measured in the same run.</summary>
/// <param name="Name">Scenario and figure, e.g. <c>migrate.fresh</c>.</param>
/// <param name="Value">What Erp.Db achieved.</param>
/// <param name="Unit">ms, rows/s, ...</param>
/// <param name="Baseline">What it is compared with, in words.</param>
/// <param name="BaselineValue">The baseline's figure, in the same unit.</param>
/// <param name="Ratio">Value / BaselineValue.</param>
/// <param name="Goal">The target for the ratio, in words (e.g. "<= 2"), or null.</param>
internal sealed record BenchResult(string Name, double Value, string Unit, string Baseline, double BaselineValue, double Ratio, string? Goal)
{
    public static BenchResult Compare(string name, double value, string unit, string baseline, double baselineValue, string? goal = null) =>
        new(name, Math.Round(value, 2), unit, baseline, Math.Round(baselineValue, 2), baselineValue == 0 ? double.NaN : Math.Round(value / baselineValue, 3), goal);
}
