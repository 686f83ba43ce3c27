namespace ModelDsl;

/// <summary>
/// A 2-D transposed convolution (TorchSharp <c>nn.ConvTranspose2d</c>, PyTorch's <c>torch.nn.ConvTranspose2d</c>; the
/// gradient of a convolution with respect to its input, used to upsample in decoders such as U-Net's and FCN's): an image
/// [B, C, H, W] to [B, out, H', W'] with, per side, H' = (H − 1)·stride − 2·padding + dilation·(kernel − 1) +
/// OutputPadding + 1 (PyTorch's formula). The weight is [C, out / Groups, k, k], so PyTorch's initialization reads
/// fan_in = (out / Groups)·k·k and fan_out = C·k·k from it (torch.nn.init._calculate_fan_in_and_fan_out).
/// <see cref="ConvolutionAttribute.Padding"/> takes whole numbers only (PyTorch has no 'same' for it; MD0112).
/// </summary>
public sealed class ConvTranspose2dAttribute : ConvolutionAttribute
{
    /// <summary>Declares a transposed convolution with <paramref name="outChannels"/> filters of size <paramref name="kernel"/>×<paramref name="kernel"/>.</summary>
    public ConvTranspose2dAttribute(int outChannels, int kernel) : base(outChannels, kernel)
    {
    }

    /// <summary>
    /// Pixels added to one side of the output (default 0), which picks one of the output sizes a strided convolution maps
    /// to the same input size; must be smaller than the stride or the dilation (PyTorch's rule; MD0112).
    /// </summary>
    public int OutputPadding { get; set; }

    /// <summary>Channel groups as in <see cref="Conv2dAttribute.Groups"/>: must divide both channel counts (MD0110).</summary>
    public int Groups { get; set; } = 1;
}
