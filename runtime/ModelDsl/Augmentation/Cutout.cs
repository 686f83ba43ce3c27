using System;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Cutout / random erasing: zeroes one <see cref="Size"/>×<see cref="Size"/> square per sample (with probability
/// <see cref="Probability"/>) at a random position inside the image. TorchSharp's Erase takes one fixed box, so the
/// per-sample mask is built here.
/// </summary>
public sealed class Cutout : IAugmentation
{
    /// <summary>Squares of side <paramref name="size"/> pixels.</summary>
    public Cutout(int size, double probability = 1)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), $"Cutout: size must be ≥ 1, got {size}.");
        Size = size;
        Probability = probability;
    }

    /// <summary>Side of the square in pixels.</summary>
    public int Size { get; }

    /// <summary>Chance a sample gets a square.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor batch, Generator generator)
    {
        ImageBatch.Require(batch, nameof(Cutout));
        long b = batch.shape[0], h = batch.shape[2], w = batch.shape[3];
        if (Size > h || Size > w) throw new ArgumentException($"Cutout: a {Size}×{Size} square does not fit in {h}×{w} images.");
        using var scope = NewDisposeScope();
        Tensor top = randint(0, h - Size + 1, new long[] { b, 1, 1 }, generator: generator, device: batch.device);
        Tensor left = randint(0, w - Size + 1, new long[] { b, 1, 1 }, generator: generator, device: batch.device);
        Tensor apply = (rand(new long[] { b, 1, 1 }, generator: generator, device: batch.device) < Probability);
        Tensor rows = arange(h, device: batch.device).view(1, -1, 1);
        Tensor cols = arange(w, device: batch.device).view(1, 1, -1);
        Tensor square = (rows >= top) & (rows < top + Size) & (cols >= left) & (cols < left + Size) & apply;
        return batch.masked_fill(square.unsqueeze(1), 0).MoveToOuterDisposeScope();
    }
}
