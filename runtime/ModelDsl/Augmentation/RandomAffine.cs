using System;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Per-sample small rotation, scaling and stretch (chapter 5.6: rotate, stretch) through one affine sampling grid
/// (<c>affine_grid</c> + bilinear <c>grid_sample</c>, zeros outside). Written by hand because TorchSharp's
/// RandomRotation ignores seeds (it uses <c>new System.Random()</c>) and rotates a whole batch by one angle.
/// </summary>
public sealed class RandomAffine : IAugmentation
{
    /// <summary>Rotation in ±<paramref name="maxDegrees"/>, isotropic scale in 1 ± <paramref name="scale"/>, extra per-axis stretch in 1 ± <paramref name="stretch"/>.</summary>
    public RandomAffine(double maxDegrees = 10, double scale = 0.1, double stretch = 0)
    {
        if (maxDegrees < 0 || scale is < 0 or >= 1 || stretch is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(maxDegrees), $"RandomAffine: expected maxDegrees ≥ 0 and scale, stretch in [0, 1), got {maxDegrees}, {scale}, {stretch}.");
        MaxDegrees = maxDegrees;
        Scale = scale;
        Stretch = stretch;
    }

    /// <summary>Largest rotation in degrees.</summary>
    public double MaxDegrees { get; }

    /// <summary>Largest relative isotropic zoom.</summary>
    public double Scale { get; }

    /// <summary>Largest relative change of one axis against the other.</summary>
    public double Stretch { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor batch, Generator generator)
    {
        ImageBatch.Require(batch, nameof(RandomAffine));
        using var scope = NewDisposeScope();
        long b = batch.shape[0];
        Tensor angle = ImageBatch.Uniform(b, -MaxDegrees, MaxDegrees, generator, batch.device) * (Math.PI / 180);
        Tensor zoom = ImageBatch.Uniform(b, 1 - Scale, 1 + Scale, generator, batch.device);
        Tensor sx = zoom * ImageBatch.Uniform(b, 1 - Stretch, 1 + Stretch, generator, batch.device);
        Tensor sy = zoom * ImageBatch.Uniform(b, 1 - Stretch, 1 + Stretch, generator, batch.device);
        // The grid maps output to input coordinates, so the inverse scale makes the content appear scaled by sx, sy.
        Tensor cos = angle.cos(), sin = angle.sin(), zero = zeros_like(angle);
        Tensor theta = stack(new[]
        {
            stack(new[] { cos / sx, -sin / sx, zero }, 1),
            stack(new[] { sin / sy, cos / sy, zero }, 1),
        }, 1).to_type(batch.dtype);
        Tensor grid = nn.functional.affine_grid(theta, batch.shape, align_corners: false);
        return nn.functional.grid_sample(batch, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false).MoveToOuterDisposeScope();
    }
}
