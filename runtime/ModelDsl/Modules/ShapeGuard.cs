using System.Collections.Generic;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>Checks an input tensor against a model's declared input shape (a cheap managed comparison).</summary>
public static class ShapeGuard
{
    /// <summary>Throws <see cref="ShapeMismatchException"/> unless <paramref name="input"/> is [B, ..shape].</summary>
    public static void RequireBatchOf(Tensor input, IReadOnlyList<long> shape, string layer)
    {
        long[] actual = input.shape;
        bool ok = actual.Length == shape.Count + 1;
        for (int i = 0; ok && i < shape.Count; i++) ok = actual[i + 1] == shape[i];
        if (!ok) throw new ShapeMismatchException(layer, "[B, " + string.Join(", ", shape) + "]", ShapeMismatchException.Format(actual));
    }

    /// <summary>
    /// Throws unless <paramref name="input"/> is Int64 token ids [B, ..shape] (a model whose first layer is an Embedding):
    /// <see cref="ShapeMismatchException"/> for the shape, <see cref="System.ArgumentException"/> for floats.
    /// </summary>
    public static void RequireTokensOf(Tensor input, IReadOnlyList<long> shape, string layer)
    {
        if (input.dtype != ScalarType.Int64)
            throw new System.ArgumentException($"{layer} reads Int64 token ids [B, {string.Join(", ", shape)}], but the input holds {input.dtype}; pass token ids (torch.int64), not features", nameof(input));
        RequireBatchOf(input, shape, layer);
    }
}
