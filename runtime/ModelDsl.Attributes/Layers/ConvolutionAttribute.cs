namespace ModelDsl;

/// <summary>
/// What <see cref="Conv2dAttribute"/> and <see cref="Conv1dAttribute"/> share: filters, kernel, stride, padding, dilation,
/// bias and an inline activation. Output size per spatial or time axis: floor((n + 2·padding − dilation·(kernel − 1) − 1)
/// / stride) + 1, as PyTorch computes it.
/// </summary>
public abstract class ConvolutionAttribute : ParametrizedLayerAttribute
{
    /// <summary>Declares a convolution with <paramref name="outChannels"/> filters of size <paramref name="kernel"/>.</summary>
    protected ConvolutionAttribute(int outChannels, int kernel)
    {
        OutChannels = outChannels;
        Kernel = kernel;
    }

    /// <summary>Number of output channels (filters).</summary>
    public int OutChannels { get; }

    /// <summary>Kernel size along each axis.</summary>
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
