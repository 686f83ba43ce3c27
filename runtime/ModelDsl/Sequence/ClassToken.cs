using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Prepends a learned token, [B, T, D] → [B, T + 1, D] (ViT's class token, Dosovitskiy et al. 2021): the parameter
/// <c>class_token</c> [1, 1, D], zeros at the start as torchvision's, expanded over the batch.
/// </summary>
public sealed partial class ClassToken : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // torchvision's parameter name, the state_dict key
    /// <summary>The token, [1, 1, D].</summary>
    public readonly Parameter class_token;
#pragma warning restore IDE1006

    /// <param name="dimension">D.</param>
    /// <param name="dtype">Parameter type (float32 when null).</param>
    public ClassToken(long dimension, ScalarType? dtype = null) : base(nameof(ClassToken))
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), $"ClassToken needs a positive width, not {dimension}");
        Dimension = dimension;
        class_token = new Parameter(zeros(new[] { 1L, 1, dimension }, dtype ?? ScalarType.Float32));
        RegisterComponents();
    }

    /// <summary>D.</summary>
    public long Dimension { get; }

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The input is not [B, T, D].</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 3 || input.shape[2] != Dimension)
            throw new ShapeMismatchException(nameof(ClassToken), $"[B, T, {Dimension}]", ShapeMismatchException.Format(input.shape));
        using Tensor token = class_token.expand(input.shape[0], 1, Dimension);
        return cat(new[] { token, input }, 1);
    }
}
