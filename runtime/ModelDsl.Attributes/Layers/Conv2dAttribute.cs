namespace ModelDsl;

/// <summary>
/// A 2-D convolution (TorchSharp <c>nn.Conv2d</c>) over an image [B, C, H, W] with a square kernel. Output size per side:
/// floor((H + 2·padding − dilation·(kernel − 1) − 1) / stride) + 1. Initialization uses fan_in = C_in·k·k and
/// fan_out = C_out·k·k (5.1: the fan of a convolution includes the kernel area).
/// </summary>
public sealed class Conv2dAttribute : ParametrizedLayerAttribute
{
    /// <summary>Declares a convolution with <paramref name="outChannels"/> filters of size <paramref name="kernel"/>×<paramref name="kernel"/>.</summary>
    public Conv2dAttribute(int outChannels, int kernel)
    {
        OutChannels = outChannels;
        Kernel = kernel;
    }

    /// <summary>Number of output channels (filters).</summary>
    public int OutChannels { get; }

    /// <summary>Side of the square kernel.</summary>
    public int Kernel { get; }

    /// <summary>Step between kernel positions (default 1).</summary>
    public int Stride { get; set; } = 1;

    /// <summary>
    /// Zeros added on each side: a whole number (<c>Padding = 1</c>), or <see cref="ModelDsl.Padding.Same"/> /
    /// <see cref="ModelDsl.Padding.Valid"/>. Default: no padding. Typed object because attribute arguments cannot be a union.
    /// </summary>
    public object? Padding { get; set; }

    /// <summary>Spacing between kernel taps (default 1).</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Whether the layer has a bias (default true; a convolution followed by BatchNorm does not need one).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>Activation applied right after the layer (a shorthand for an activation attribute).</summary>
    public Activation Activation { get; set; }
}
