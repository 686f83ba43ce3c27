using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// The mean over the time axis: <c>[B, T, F] → [B, F]</c> (Keras's GlobalAveragePooling1D on batch-first sequences).
/// Written by hand because TorchSharp's pooling modules pool channels-first inputs.
/// </summary>
public sealed class GlobalAvgPool1d : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    public GlobalAvgPool1d() : base(nameof(GlobalAvgPool1d)) { }

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The input is not [B, T, F].</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 3) throw new ShapeMismatchException(nameof(GlobalAvgPool1d), "[B, T, F]", "[" + string.Join(", ", input.shape) + "]");
        return input.mean(new long[] { 1 });
    }
}
