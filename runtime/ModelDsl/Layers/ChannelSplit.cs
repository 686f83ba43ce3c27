using System;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Chunk <see cref="Index"/> of <see cref="Parts"/> equal chunks along dimension 1 (channels of [B, C, H, W], features of
/// [B, F]): <c>torch.chunk(x, parts, dim=1)[index]</c>, ShuffleNetV2's channel split. Returns a view.
/// </summary>
public sealed partial class ChannelSplit : nn.Module<Tensor, Tensor>
{
    /// <param name="parts">How many equal chunks (at least 1).</param>
    /// <param name="index">Which one, 0 ≤ index &lt; parts.</param>
    public ChannelSplit(long parts, long index) : base(nameof(ChannelSplit))
    {
        if (parts < 1 || index < 0 || index >= parts)
            throw new ArgumentOutOfRangeException(nameof(index), $"ChannelSplit needs parts ≥ 1 and 0 ≤ index < parts, not parts {parts}, index {index}");
        Parts = parts;
        Index = index;
    }

    /// <summary>How many chunks.</summary>
    public long Parts { get; }

    /// <summary>Which chunk.</summary>
    public long Index { get; }

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">Dimension 1 does not divide into <see cref="Parts"/>.</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() < 2 || input.shape[1] % Parts != 0)
            throw new ShapeMismatchException(nameof(ChannelSplit), $"[B, a multiple of {Parts}, …]", ShapeMismatchException.Format(input.shape));
        long size = input.shape[1] / Parts;
        return input.narrow(1, Index * size, size);
    }
}
