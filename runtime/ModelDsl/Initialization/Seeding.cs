using System;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// The seed scope of a generated constructor. With a seed, every initial weight is drawn from its own generator,
/// and TorchSharp's global generator is restored afterwards: constructing nn.Linear draws its default weights from
/// the global generator, and a seeded model must not shift the random numbers of the code around it.
/// Without a seed, the global generator is used and left to advance as TorchSharp's own modules do.
/// </summary>
public sealed class Seeding : IDisposable
{
    private readonly Tensor? savedGlobalState;

    private Seeding(long? seed)
    {
        if (seed is not long value) return;
        savedGlobalState = get_rng_state();
        Generator = new Generator(unchecked((ulong)value), CPU);
    }

    /// <summary>The generator initializers draw from; null means TorchSharp's global generator.</summary>
    public Generator? Generator { get; }

    /// <summary>Starts a constructor's seed scope.</summary>
    public static Seeding Begin(long? seed) => new(seed);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (savedGlobalState is not null)
        {
            set_rng_state(savedGlobalState);
            savedGlobalState.Dispose();
        }
        Generator?.Dispose();
    }
}
