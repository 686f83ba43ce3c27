namespace ModelDsl;

/// <summary>How <see cref="UpsampleAttribute"/> computes new pixels (PyTorch's <c>mode</c> of <c>F.interpolate</c>).</summary>
public enum Interpolation
{
    /// <summary>The nearest source pixel, ⌊i/s⌋ (PyTorch's <c>"nearest"</c>).</summary>
    Nearest,

    /// <summary>Bilinear, PyTorch's <c>"bilinear"</c> with <c>align_corners=False</c>.</summary>
    Bilinear,
}
