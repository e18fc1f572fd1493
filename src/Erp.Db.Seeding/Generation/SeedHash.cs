namespace Erp.Db.Seeding.Generation;

/// <summary>Derives independent, reproducible seeds for System.Random from the run's seed and an entity's key.</summary>
internal static class SeedHash
{
    public static int Mix(int seed, int stream, long a = 0, long b = 0)
    {
        var x = (ulong)(uint)seed;
        x = Round(x ^ ((ulong)(uint)stream << 32));
        x = Round(x ^ (ulong)a);
        x = Round(x ^ (ulong)b);
        return (int)(x & 0x7FFF_FFFF);
    }

    public static Random Random(int seed, int stream, long a = 0, long b = 0) => new(Mix(seed, stream, a, b));

    /// <summary>SplitMix64's finalizer.</summary>
    private static ulong Round(ulong z)
    {
        z += 0x9E37_79B9_7F4A_7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }
}
