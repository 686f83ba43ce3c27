using System;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>Layer scale: y = γ ⊙ x, γ = <c>weight</c> of the given shape (broadcast over the batch), starting at a constant.</summary>
public sealed partial class LayerScale : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // the state_dict key
    /// <summary>γ: [C, 1, 1] for images, [F] otherwise.</summary>
    public readonly Parameter weight;
#pragma warning restore IDE1006

    /// <param name="shape">γ's shape.</param>
    /// <param name="initValue">γ's starting value.</param>
    /// <param name="dtype">Parameter type (float32 when null).</param>
    public LayerScale(long[] shape, double initValue = 1e-6, ScalarType? dtype = null) : base(nameof(LayerScale))
    {
        if (shape.Length == 0 || shape.Any(d => d < 1)) throw new ArgumentOutOfRangeException(nameof(shape), $"LayerScale needs a positive shape, not [{string.Join(", ", shape)}]");
        weight = new Parameter(full(shape, initValue, dtype ?? ScalarType.Float32));
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => input * weight;
}
