using System;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Bootstrap resampling for bagging (5.7.1): member i gets n indices drawn uniformly with replacement from 0..n−1, from a
/// generator seeded by <see cref="EnsembleSeeds.ForMember"/>, so each member's sample is reproducible and different. About
/// (1 − 1/n)^n ≈ e^−1 ≈ 36.8% of the indices are left out of a sample: its out-of-bag set.
/// </summary>
public sealed class BootstrapSampler
{
    /// <summary>A sampler over <paramref name="count"/> examples.</summary>
    public BootstrapSampler(long count, long seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "a bootstrap needs at least one example");
        Count = count;
        Seed = seed;
    }

    /// <summary>n, the data set size and the sample size.</summary>
    public long Count { get; }

    /// <summary>The seed member seeds derive from.</summary>
    public long Seed { get; }

    /// <summary>The expected out-of-bag fraction (1 − 1/n)^n.</summary>
    public double ExpectedOutOfBagFraction => Math.Pow(1 - 1.0 / Count, Count);

    /// <summary>Member <paramref name="member"/>'s bootstrap sample: n int64 indices in [0, n), with replacement.</summary>
    public Tensor Sample(int member)
    {
        using var generator = new Generator(unchecked((ulong)EnsembleSeeds.ForMember(Seed, member)!.Value), CPU);
        return randint(0, Count, new[] { Count }, dtype: ScalarType.Int64, generator: generator);
    }

    /// <summary>The indices member <paramref name="member"/>'s sample never drew, ascending.</summary>
    public Tensor OutOfBag(int member)
    {
        using var scope = NewDisposeScope();
        Tensor drawn = bincount(Sample(member), minlength: Count);
        return nonzero(drawn == 0).flatten().MoveToOuterDisposeScope();
    }
}
