namespace ModelDsl;

/// <summary>
/// Upsamples an image [B, C, H, W] (TorchSharp <c>nn.Upsample</c>, PyTorch's <c>F.interpolate</c>) either by a scale
/// factor s, to [B, C, ⌊H·s⌋, ⌊W·s⌋], or to the height and width of another value of the model
/// (<see cref="SizeOf"/>, PyTorch's <c>size=</c>: torchvision's segmentation heads upsample to the input's size).
/// <see cref="Interpolation.Nearest"/> copies the pixel ⌊i/s⌋, <see cref="Interpolation.Bilinear"/> interpolates with
/// PyTorch's <c>align_corners=False</c> (pixel centers: source coordinate (i + ½)/s − ½, clamped at 0), as FCN's and
/// DeepLab's heads do (torchvision's segmentation models; Long et al. 2015). With a size, s is output ÷ input per side,
/// as PyTorch computes it.
/// </summary>
public sealed class UpsampleAttribute : LayerAttribute
{
    /// <summary>Upsamples by <paramref name="scaleFactor"/> (greater than 0) along height and width.</summary>
    public UpsampleAttribute(double scaleFactor) => ScaleFactor = scaleFactor;

    /// <summary>Upsamples to the height and width of the value <see cref="SizeOf"/> names (which must then be given).</summary>
    public UpsampleAttribute()
    {
    }

    /// <summary>The scale s along height and width (0 when <see cref="SizeOf"/> gives the size instead).</summary>
    public double ScaleFactor { get; }

    /// <summary>
    /// The value whose height and width the output takes: <c>"input"</c> (or an <c>[Input]</c>'s name) or a block declared
    /// above this layer's block, best written <c>nameof(Block)</c>. Shapes are fixed when the code compiles, so this is
    /// resolved then; an unknown name or one declared below is MD0113.
    /// </summary>
    public string? SizeOf { get; set; }

    /// <summary>How new pixels are computed (default nearest).</summary>
    public Interpolation Mode { get; set; }
}
