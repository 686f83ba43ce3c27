using System;

namespace ModelDsl.Training;

/// <summary>
/// Runs a generation-0 garbage collection every few training steps, so that the native objects TorchSharp leaves to
/// finalizers are freed within a few steps instead of whenever the managed heap happens to fill.
/// </summary>
/// <remarks>
/// Why: TorchSharp 0.107 converts numbers to native <c>Scalar</c> objects implicitly inside its own modules and
/// optimizers (BatchNorm's <c>num_batches_tracked.add_(1)</c>, the optimizers' <c>alpha</c> arguments) and never
/// disposes them (dotnet/TorchSharp PR #1496), so a dispose scope cannot reach them. Each is a few bytes, but placed
/// between the large tensor allocations of a step they fragment glibc's heap: freed batches cannot be reused, and the
/// process grows by about one batch per step until the runtime's first collection (the card MLP: 735 MiB after 1,500
/// steps). A gen-0 collection of this small managed heap takes well under a millisecond; collecting every 50 steps
/// keeps the card MLP's RSS flat near 200 MiB and made its steps slightly faster, not slower (docs/benchmarks.md,
/// Memory). Written by hand: neither TorchSharp nor .NET offers this policy.
/// </remarks>
public sealed class FinalizerCollection
{
    /// <summary>The Trainer's default interval, in training steps.</summary>
    public const int DefaultEverySteps = 50;

    private readonly int everySteps;
    private long steps;

    /// <param name="everySteps">Collect after every this many steps; 0 turns collection off.</param>
    public FinalizerCollection(int everySteps = DefaultEverySteps)
    {
        if (everySteps < 0) throw new ArgumentOutOfRangeException(nameof(everySteps), everySteps, "the interval must be 0 (off) or a positive number of steps");
        this.everySteps = everySteps;
    }

    /// <summary>Call once after each training step.</summary>
    public void AfterStep()
    {
        if (everySteps == 0 || ++steps % everySteps != 0) return;
        GC.Collect(0);
    }
}
