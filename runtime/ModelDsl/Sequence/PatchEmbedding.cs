using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Cuts an image <c>[B, C, H, W]</c> into non-overlapping P×P patches and maps each linearly to D features: the patch
/// embedding of the Vision Transformer (Dosovitskiy et al. 2021, eq. 1), computed as a Conv2d(C, D, P, stride P)
/// (child <c>proj</c>, as in the reference ViT code) and read out as the sequence <c>[B, (H/P)·(W/P), D]</c>, patches in
/// row-major order. Written by hand because TorchSharp has no patch-embedding module.
/// </summary>
public sealed partial class PatchEmbedding : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // the registered name
    private readonly Conv2d proj;
#pragma warning restore IDE1006

    /// <param name="channels">C.</param>
    /// <param name="patchSize">P; H and W must be multiples of it.</param>
    /// <param name="dimension">D, features per patch.</param>
    /// <param name="generator">Seeded draws for TorchSharp's default conv init U(±1/√(C·P·P)); null uses the global generator.</param>
    /// <param name="dtype">Parameter type (float32 when null).</param>
    public PatchEmbedding(long channels, long patchSize, long dimension, Generator? generator = null, ScalarType? dtype = null) : base(nameof(PatchEmbedding))
    {
        if (channels < 1 || patchSize < 1 || dimension < 1)
            throw new ArgumentOutOfRangeException(nameof(patchSize), $"PatchEmbedding sizes must be positive, but channels {channels}, patch {patchSize}, dimension {dimension}");
        PatchSize = patchSize;
        Dimension = dimension;
        proj = nn.Conv2d(channels, dimension, patchSize, stride: patchSize, dtype: dtype);
        register_module(nameof(proj), proj);
        Initializers.TorchDefault(proj.weight, proj.bias, generator);
    }

    /// <summary>P.</summary>
    public long PatchSize { get; }

    /// <summary>D.</summary>
    public long Dimension { get; }

    /// <summary>The patch projection (a convolution with kernel and stride P).</summary>
    public Conv2d Projection => proj;

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The input is not [B, C, H, W] with H and W multiples of P.</exception>
    public override Tensor forward(Tensor input)
    {
        long[] shape = input.shape;
        if (shape.Length != 4 || shape[1] != proj.in_channels || shape[2] % PatchSize != 0 || shape[3] % PatchSize != 0)
            throw new ShapeMismatchException(nameof(PatchEmbedding), $"[B, {proj.in_channels}, H, W] with H and W multiples of {PatchSize}", ShapeMismatchException.Format(shape));
        return proj.forward(input).flatten(2).transpose(1, 2);
    }
}
