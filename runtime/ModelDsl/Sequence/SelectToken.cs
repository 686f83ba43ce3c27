using System;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>Keeps position <see cref="Index"/> of [B, T, D]: <c>x[:, index]</c> → [B, D] (ViT's class token before its head).</summary>
public sealed partial class SelectToken : nn.Module<Tensor, Tensor>
{
    /// <param name="index">The position, 0 ≤ index.</param>
    public SelectToken(long index) : base(nameof(SelectToken))
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), $"SelectToken needs an index ≥ 0, not {index}");
        Index = index;
    }

    /// <summary>The position kept.</summary>
    public long Index { get; }

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The input is not [B, T, D] with T &gt; index.</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 3 || input.shape[1] <= Index)
            throw new ShapeMismatchException(nameof(SelectToken), $"[B, T > {Index}, D]", ShapeMismatchException.Format(input.shape));
        return input.select(1, Index);
    }
}
