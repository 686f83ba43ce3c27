namespace ModelDsl;

/// <summary>Layer normalization (5.3.3): per sample over all non-batch dimensions, same in training and eval.</summary>
public sealed class LayerNormAttribute : LayerAttribute
{
    /// <summary>Added to the variance for numerical stability (default 1e-5).</summary>
    public double Eps { get; set; } = 1e-5;

    /// <summary>Learnable per-element scale and shift (default true).</summary>
    public bool Affine { get; set; } = true;

    /// <summary>
    /// On an image [B, C, H, W], normalize each pixel over its C channels (γ, β of shape [C]) instead of each sample over
    /// (C, H, W): ConvNeXt's LayerNorm2d (Liu et al. 2022; torchvision.models.convnext.LayerNorm2d). Images only (MD0035).
    /// </summary>
    public bool Channels { get; set; }
}
