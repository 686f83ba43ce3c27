using System;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Max or average pooling over time on batch-first sequences: <c>[B, T, F]</c> → <c>[B, T', F]</c>, each feature pooled
/// over windows of k steps, T' = ⌊(T − k)/s⌋ + 1 (PyTorch's <c>max_pool1d</c> / <c>avg_pool1d</c> on <c>[B, F, T]</c>,
/// no padding, ceil_mode off; Keras's MaxPooling1D / AveragePooling1D with padding "valid"). Written by hand because
/// TorchSharp's pooling modules read channels-first inputs; the transposes are views.
/// </summary>
public sealed partial class SequencePool1d : nn.Module<Tensor, Tensor>
{
    /// <param name="maximum">Max pooling (true) or average pooling (false).</param>
    /// <param name="kernel">k, steps per window.</param>
    /// <param name="stride">s, steps between windows.</param>
    public SequencePool1d(bool maximum, long kernel, long stride) : base(maximum ? "MaxPool1d" : "AvgPool1d")
    {
        if (kernel < 1 || stride < 1) throw new ArgumentOutOfRangeException(nameof(kernel), $"{(maximum ? "MaxPool1d" : "AvgPool1d")} kernel {kernel} and stride {stride} must be positive");
        Maximum = maximum;
        Kernel = kernel;
        Stride = stride;
    }

    /// <summary>Max pooling when true, average pooling when false.</summary>
    public bool Maximum { get; }

    /// <summary>k.</summary>
    public long Kernel { get; }

    /// <summary>s.</summary>
    public long Stride { get; }

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The input is not [B, T, F] with T ≥ k.</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 3 || input.shape[1] < Kernel)
            throw new ShapeMismatchException(Maximum ? "MaxPool1d" : "AvgPool1d", $"[B, T ≥ {Kernel}, F]", ShapeMismatchException.Format(input.shape));
        using Tensor channelsFirst = input.transpose(1, 2);
        using Tensor pooled = Maximum
            ? nn.functional.max_pool1d(channelsFirst, Kernel, Stride)
            : nn.functional.avg_pool1d(channelsFirst, Kernel, Stride);
        return pooled.transpose(1, 2);
    }
}
