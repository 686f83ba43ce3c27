namespace ModelDsl;

/// <summary>
/// Layer scale (Touvron et al. 2021, CaiT; ConvNeXt): y = γ ⊙ x with a learned γ per channel, [C, 1, 1] on images (as
/// ConvNeXt's <c>layer_scale</c>) or [F] on features and sequences, starting at <see cref="InitValue"/>, so a residual
/// branch starts almost closed. The parameter is <c>weight</c>.
/// </summary>
public sealed class LayerScaleAttribute : LayerAttribute
{
    /// <summary>γ's starting value (default 1e-6, ConvNeXt's).</summary>
    public double InitValue { get; set; } = 1e-6;
}
