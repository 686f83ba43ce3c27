using System;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>Shared helpers: shape checks and per-sample uniform draws from a seeded generator.</summary>
internal static class ImageBatch
{
    public static void Require(Tensor batch, string transform)
    {
        if (batch.shape.Length != 4)
            throw new ArgumentException($"{transform}: expected images [B, C, H, W], got [{string.Join(", ", batch.shape)}]; wrap flat inputs in OnImages.");
    }

    /// <summary>One U(low, high) value per sample, shaped [B].</summary>
    public static Tensor Uniform(long count, double low, double high, Generator generator, Device device)
        => rand(new long[] { count }, generator: generator, device: device) * (high - low) + low;
}
