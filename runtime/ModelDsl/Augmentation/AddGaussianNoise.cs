using System;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>Adds N(0, <see cref="Std"/>²) noise to every pixel (chapter 5.6 noise; 5.9 input noise injection).</summary>
public sealed class AddGaussianNoise : IAugmentation
{
    /// <summary>Noise with standard deviation <paramref name="std"/>.</summary>
    public AddGaussianNoise(double std)
    {
        if (std < 0) throw new ArgumentOutOfRangeException(nameof(std), $"AddGaussianNoise: std must be ≥ 0, got {std}.");
        Std = std;
    }

    /// <summary>The noise standard deviation.</summary>
    public double Std { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor batch, Generator generator)
        => batch + randn(batch.shape, dtype: batch.dtype, device: batch.device, generator: generator) * Std;
}
