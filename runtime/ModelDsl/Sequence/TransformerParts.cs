using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// What the Transformer's encoder and decoder layers share besides attention (<see cref="ScaledAttention"/>): the checks of
/// their sizes and the position-wise feed-forward network Linear(D, F) → activation → dropout → Linear(F, D) (Vaswani et
/// al. 2017, eq. 2; PyTorch's nn.TransformerEncoderLayer and nn.TransformerDecoderLayer).
/// </summary>
internal static class TransformerParts
{
    /// <summary>Throws naming <paramref name="layer"/> unless the heads divide the width and the activation is ReLU or GELU.</summary>
    /// <exception cref="ArgumentException">Either does not hold.</exception>
    public static void Check(string layer, long dimension, long heads, Activation activation)
    {
        if (heads < 1 || dimension % heads != 0)
            throw new ArgumentException($"{layer}: {heads} heads must divide the width {dimension}", nameof(heads));
        if (activation is not (Activation.ReLU or Activation.GELU))
            throw new ArgumentException($"{layer}: the feed-forward activation is ReLU or GELU, not {activation}", nameof(activation));
    }

    /// <summary>linear2(dropout(activation(linear1(x)))).</summary>
    public static Tensor FeedForward(Linear linear1, Linear linear2, Dropout dropout, Activation activation, Tensor x)
    {
        Tensor hidden = linear1.forward(x);
        hidden = activation == Activation.GELU ? nn.functional.gelu(hidden) : nn.functional.relu(hidden);
        return linear2.forward(dropout.forward(hidden));
    }
}
