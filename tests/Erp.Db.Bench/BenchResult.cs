using System.Text.Json.Serialization;

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
    /// <summary>Where a floor applies: the least work that answers the same question (e.g. hand-written SQL over the same views), in words.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Floor { get; init; }

    /// <summary>The floor's figure, in the same unit, measured in the same run.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? FloorValue { get; init; }

    /// <summary>Value / FloorValue.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? FloorRatio { get; init; }

    public static BenchResult Compare(string name, double value, string unit, string baseline, double baselineValue, string? goal = null) =>
        new(name, Math.Round(value, 2), unit, baseline, Math.Round(baselineValue, 2), baselineValue == 0 ? double.NaN : Math.Round(value / baselineValue, 3), goal);

    /// <summary>This result with its floor: <paramref name="floor"/> measured at <paramref name="floorValue"/> in the same run.</summary>
    public BenchResult WithFloor(string floor, double floorValue) => this with
    {
        Floor = floor,
        FloorValue = Math.Round(floorValue, 2),
        FloorRatio = floorValue == 0 ? double.NaN : Math.Round(Value / floorValue, 3),
    };
}
