using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// RandAugment-style automatic augmentation (chapter 5.6.3; Cubuk et al. 2020): for each batch, draw <see cref="N"/>
/// operations from a pool and apply each at the shared magnitude <see cref="M"/> (0…10). Two numbers replace a learned
/// policy, so they can be searched directly (<see cref="RandAugmentSearch"/>). TorchSharp's own RandAugment works on
/// uint8 images with batch-wide draws and System.Random, hence this seeded float version.
/// </summary>
public sealed class RandAugment : IAugmentation
{
    /// <summary>One operation at a magnitude in [0, 1] (M/10).</summary>
    public delegate IAugmentation Operation(double magnitude);

    /// <summary>Creates the policy; <paramref name="pool"/> defaults to <see cref="DigitSafeOperations"/>.</summary>
    public RandAugment(int n, int m, IReadOnlyList<Operation>? pool = null)
    {
        Pool = pool ?? DigitSafeOperations;
        if (n < 0 || n > Pool.Count) throw new ArgumentOutOfRangeException(nameof(n), $"RandAugment: N must be in [0, {Pool.Count}] (the pool size), got {n}.");
        if (m is < 0 or > 10) throw new ArgumentOutOfRangeException(nameof(m), $"RandAugment: M must be in [0, 10], got {m}.");
        N = n;
        M = m;
    }

    /// <summary>Operations per batch.</summary>
    public int N { get; }

    /// <summary>Magnitude 0…10 shared by all operations.</summary>
    public int M { get; }

    /// <summary>The operations drawn from.</summary>
    public IReadOnlyList<Operation> Pool { get; }

    /// <summary>Operations that keep a digit's class: shift, rotation ≤ 30°, zoom/stretch, noise, contrast, cutout — no flips.</summary>
    public static IReadOnlyList<Operation> DigitSafeOperations { get; } = new Operation[]
    {
        m => new RandomShift((int)Math.Round(4 * m)),
        m => new RandomAffine(maxDegrees: 30 * m),
        m => new RandomAffine(maxDegrees: 0, scale: 0.3 * m, stretch: 0.2 * m),
        m => new AddGaussianNoise(0.3 * m),
        m => new BrightnessContrast(brightness: 0.3 * m, contrast: 0.5 * m),
        m => new Cutout(Math.Max(1, (int)Math.Round(14 * m))),
    };

    /// <summary>The digit pool plus horizontal flips, for natural images.</summary>
    public static IReadOnlyList<Operation> NaturalImageOperations { get; } = DigitSafeOperations.Append(m => new RandomFlip(horizontal: true)).ToArray();

    /// <inheritdoc/>
    public Tensor Apply(Tensor batch, Generator generator)
    {
        using var scope = NewDisposeScope();
        // Which operations: the first N of a seeded permutation of the pool (distinct operations per batch).
        long[] chosen = randperm(Pool.Count, generator: generator).narrow(0, 0, N).data<long>().ToArray();
        Tensor x = batch.clone();
        foreach (long index in chosen) x = Pool[(int)index](M / 10.0).Apply(x, generator);
        return x.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override string ToString() => $"RandAugment(N = {N}, M = {M})";
}
