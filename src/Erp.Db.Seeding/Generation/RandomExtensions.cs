namespace Erp.Db.Seeding.Generation;

/// <summary>Distributions on top of System.Random.</summary>
internal static class RandomExtensions
{
    public static double Uniform(this Random random, double min, double max) => min + (random.NextDouble() * (max - min));

    /// <summary>Standard normal (Box-Muller).</summary>
    public static double Gaussian(this Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Log-normal around a median.</summary>
    public static double LogNormal(this Random random, double median, double sigma) => median * Math.Exp(sigma * random.Gaussian());

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    public static decimal Money(double value) => Math.Round((decimal)value, 2, MidpointRounding.AwayFromZero);
}
