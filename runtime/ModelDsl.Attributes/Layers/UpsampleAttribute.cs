namespace ModelDsl;

/// <summary>
/// Upsamples an image [B, C, H, W] to [B, C, ⌊H·s⌋, ⌊W·s⌋] (TorchSharp <c>nn.Upsample</c> with a scale factor, PyTorch's
/// <c>F.interpolate</c>): <see cref="Interpolation.Nearest"/> copies the pixel ⌊i/s⌋, <see cref="Interpolation.Bilinear"/>
/// interpolates with PyTorch's <c>align_corners=False</c> (pixel centers: source coordinate (i + ½)/s − ½, clamped at 0),
/// as FCN's and DeepLab's heads do (torchvision's segmentation models; Long et al. 2015).
/// </summary>
public sealed class UpsampleAttribute : LayerAttribute
{
    /// <summary>Upsamples by <paramref name="scaleFactor"/> (greater than 0) along height and width.</summary>
    public UpsampleAttribute(double scaleFactor) => ScaleFactor = scaleFactor;

    /// <summary>The scale s along height and width.</summary>
    public double ScaleFactor { get; }

    /// <summary>How new pixels are computed (default nearest).</summary>
    public Interpolation Mode { get; set; }
}
