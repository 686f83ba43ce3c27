using System;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Random crop with padding: pad by <see cref="Padding"/> zeros on every side and crop back to the original size at a
/// per-sample random offset — a shift by whole pixels in ±Padding. Done as an integer translation of the sampling grid
/// with nearest sampling (exact pixels, zeros outside); TorchSharp has no RandomCrop.
/// </summary>
public sealed class RandomShift : IAugmentation
{
    /// <summary>Shifts by up to <paramref name="padding"/> pixels in each direction.</summary>
    public RandomShift(int padding = 2)
    {
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), $"RandomShift: padding must be ≥ 0, got {padding}.");
        Padding = padding;
    }

    /// <summary>Largest shift in pixels.</summary>
    public int Padding { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor batch, Generator generator)
    {
        ImageBatch.Require(batch, nameof(RandomShift));
        using var scope = NewDisposeScope();
        long b = batch.shape[0], h = batch.shape[2], w = batch.shape[3];
        Tensor dx = randint(-Padding, Padding + 1, new long[] { b }, generator: generator, device: batch.device).to_type(batch.dtype);
        Tensor dy = randint(-Padding, Padding + 1, new long[] { b }, generator: generator, device: batch.device).to_type(batch.dtype);
        Tensor one = ones_like(dx), zero = zeros_like(dx);
        // With align_corners = false a pixel is 2/W wide in grid units: output (x, y) reads input (x + dx, y + dy).
        Tensor theta = stack(new[] { stack(new[] { one, zero, dx * (2.0 / w) }, 1), stack(new[] { zero, one, dy * (2.0 / h) }, 1) }, 1);
        Tensor grid = nn.functional.affine_grid(theta, batch.shape, align_corners: false);
        return nn.functional.grid_sample(batch, grid, GridSampleMode.Nearest, GridSamplePaddingMode.Zeros, align_corners: false).MoveToOuterDisposeScope();
    }
}
