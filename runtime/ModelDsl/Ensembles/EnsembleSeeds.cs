namespace ModelDsl;

/// <summary>Derives each member's seed from one ensemble seed, so an ensemble is reproducible and its members distinct.</summary>
public static class EnsembleSeeds
{
    /// <summary>
    /// Member <paramref name="member"/>'s seed: SplitMix64 of (seed, member). Consecutive ensemble seeds give unrelated member
    /// seeds (seed + member would make ensemble 1's member 0 equal ensemble 0's member 1). Null stays null: members then draw
    /// from TorchSharp's global generator one after another, distinct but not reproducible.
    /// </summary>
    public static long? ForMember(long? seed, int member)
    {
        if (seed is not long value) return null;
        unchecked
        {
            ulong z = (ulong)value + 0x9E3779B97F4A7C15UL * (ulong)(member + 1);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return (long)(z ^ (z >> 31));
        }
    }
}
