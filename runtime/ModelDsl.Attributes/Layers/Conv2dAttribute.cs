namespace ModelDsl;

/// <summary>
/// A 2-D convolution (TorchSharp <c>nn.Conv2d</c>) over an image [B, C, H, W] with a square kernel. Output size per side:
/// floor((H + 2·padding − dilation·(kernel − 1) − 1) / stride) + 1. Initialization uses fan_in = C_in·k·k and
/// fan_out = C_out·k·k (5.1: the fan of a convolution includes the kernel area).
/// </summary>
public sealed class Conv2dAttribute : ConvolutionAttribute
{
    /// <summary>Declares a convolution with <paramref name="outChannels"/> filters of size <paramref name="kernel"/>×<paramref name="kernel"/>.</summary>
    public Conv2dAttribute(int outChannels, int kernel) : base(outChannels, kernel)
    {
    }

    /// <summary>
    /// Grouped convolution (torch.nn.Conv2d's <c>groups</c>; Krizhevsky et al. 2012, ResNeXt): the input and output
    /// channels split into this many groups, each output group seeing only its input group, so the weight is
    /// [out, in / Groups, k, k]. Groups equal to the input and output channels is a depthwise convolution (MobileNet).
    /// Must divide both channel counts (MD0110).
    /// </summary>
    public int Groups { get; set; } = 1;
}
