using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// The mean over the time axis: <c>[B, T, F] → [B, F]</c> (Keras's GlobalAveragePooling1D on batch-first sequences).
/// Given a padding mask, the mean over the unmasked steps only, as Keras's pooling does with a mask from
/// <c>Embedding(mask_zero=True)</c>: Σ_t (1 − m_t)·x_t / max(1, Σ_t (1 − m_t)); a sequence that is all padding gives 0.
/// Written by hand because TorchSharp's pooling modules pool channels-first inputs.
/// </summary>
public sealed partial class GlobalAvgPool1d : nn.Module<Tensor, Tensor>, IPaddingMaskedLayer
{
    /// <summary>Creates the layer.</summary>
    public GlobalAvgPool1d() : base(nameof(GlobalAvgPool1d)) { }

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The input is not [B, T, F].</exception>
    public override Tensor forward(Tensor input) => forward(input, null);

    /// <summary>The mean over the steps of <c>[B, T, F]</c> where <paramref name="paddingMask"/> <c>[B, T]</c> is false (all steps when null).</summary>
    /// <exception cref="ShapeMismatchException">The input is not [B, T, F], or the mask not [B, T].</exception>
    public Tensor forward(Tensor input, Tensor? paddingMask)
    {
        if (input.dim() != 3) throw new ShapeMismatchException(nameof(GlobalAvgPool1d), "[B, T, F]", ShapeMismatchException.Format(input.shape));
        if (paddingMask is null) return input.mean(new long[] { 1 });
        if (paddingMask.dim() != 2 || paddingMask.shape[0] != input.shape[0] || paddingMask.shape[1] != input.shape[1])
            throw new ShapeMismatchException(nameof(GlobalAvgPool1d) + " padding mask", $"[{input.shape[0]}, {input.shape[1]}]", ShapeMismatchException.Format(paddingMask.shape));
        // masked_fill, not a product with the mask: a padding step's value may be anything, even NaN, and must not count.
        using Tensor padding = paddingMask.unsqueeze(-1);
        using Tensor kept = input.masked_fill(padding, 0);
        using Tensor sum = kept.sum(1);
        using Tensor steps = paddingMask.logical_not().sum(1, keepdim: true, type: input.dtype).clamp_min(1);
        return sum.div(steps);
    }
}
