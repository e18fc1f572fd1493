namespace Erp.Db.Seeding.Generation;

/// <summary>Draws an index with probability proportional to its weight (cumulative table and binary search).</summary>
internal sealed class WeightedSampler
{
    private readonly double[] cumulative;

    public WeightedSampler(IReadOnlyList<double> weights)
    {
        if (weights.Count == 0)
        {
            throw new ArgumentException("At least one weight is needed.", nameof(weights));
        }
        cumulative = new double[weights.Count];
        var sum = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            sum += Math.Max(0, weights[i]);
            cumulative[i] = sum;
        }
        Total = sum;
    }

    public double Total { get; }

    public int Count => cumulative.Length;

    public int Sample(Random random)
    {
        var target = random.NextDouble() * Total;
        var index = Array.BinarySearch(cumulative, target);
        index = index < 0 ? ~index : index + 1;
        return Math.Min(index, cumulative.Length - 1);
    }
}
