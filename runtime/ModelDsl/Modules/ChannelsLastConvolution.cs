using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// A 2-D convolution of an NCHW image computed straight into channels-last (NHWC) memory: the image unfolded into
/// columns (im2col, libtorch's <c>unfold</c>) and one batched matrix product per call,
/// <c>out[n, l, o] = Σₖ cols[n, k, l] · W[o, k]</c> (Chellapilla et al., "High Performance Convolutional Neural Networks
/// for Document Processing", 2006), so the product writes NHWC directly. <see cref="ChannelsLast.FromLayer"/> uses it
/// where a model switches to channels-last after a convolution of its input.
/// </summary>
/// <remarks>
/// Written by hand because libtorch has no NCHW-in, NHWC-out convolution: without oneDNN, its NCHW convolution followed by
/// a copy to NHWC, or its NHWC convolution of a one-channel image (one small product per image), cost more. MNIST CNN's
/// first convolution (1 → 32 channels, 3×3, [64, 1, 28, 28]) at one thread: forward 1.46 → 0.76 ms, forward and weight
/// gradient 4.04 → 1.15 ms. Everything here is ordinary autograd operations, so gradients and second derivatives come
/// from libtorch.
/// </remarks>
internal static class ChannelsLastConvolution
{
    /// <summary>
    /// True when <paramref name="conv"/> over <paramref name="x"/> can run here: a batched [N, C, H, W] image that is
    /// not channels-last already, an ungrouped convolution with zero padding (numbers, valid or same), on the CPU
    /// without oneDNN (which converts layouts itself).
    /// </summary>
    public static bool Applies(Conv2d conv, Tensor x)
        => x.dim() == 4 && x.device_type == DeviceType.CPU && !LibTorchBackends.OneDnnEnabled
           && conv is { groups: 1, padding_mode: PaddingModes.Zeros, kernel_size.Length: 2 }
           && (x.shape[1] == 1 || !ChannelsLast.IsChannelsLast(x));

    /// <summary>
    /// <paramref name="conv"/>'s output for <paramref name="x"/> [N, C, H, W], shape [N, O, H', W'] with channels-last
    /// strides; equal to <c>conv.forward(x)</c> up to float rounding (the same products, summed in another order).
    /// </summary>
    public static Tensor Forward(Conv2d conv, Tensor x) => Forward(conv, x, conv.weight, conv.bias);

    /// <summary>
    /// The same with another <paramref name="weight"/> [O, C, kh, kw] and <paramref name="bias"/> [O] in
    /// <paramref name="conv"/>'s geometry (<see cref="FoldedInference"/> passes the batch-norm-folded ones).
    /// </summary>
    public static Tensor Forward(Conv2d conv, Tensor x, Tensor weight, Tensor? bias)
    {
        long n = x.shape[0], outChannels = conv.out_channels;
        long[] kernel = conv.kernel_size, stride = conv.stride, dilation = conv.dilation;
        var (top, bottom) = Padding(conv, 0);
        var (left, right) = Padding(conv, 1);

        using var scope = NewDisposeScope();
        // unfold pads both sides alike; "same" padding of an even span puts the extra row and column after (as PyTorch does).
        if (top != bottom || left != right)
        {
            x = nn.functional.pad(x, new[] { left, right, top, bottom });
            (top, bottom, left, right) = (0, 0, 0, 0);
        }
        long height = (x.shape[2] + 2 * top - dilation[0] * (kernel[0] - 1) - 1) / stride[0] + 1;  // torch.nn.Conv2d, "Shape"
        long width = (x.shape[3] + 2 * left - dilation[1] * (kernel[1] - 1) - 1) / stride[1] + 1;
        Tensor columns = nn.functional.unfold(x, (kernel[0], kernel[1]), (dilation[0], dilation[1]), (top, left), (stride[0], stride[1]));   // [N, C·kh·kw, H'·W']
        // The batch shares one weight matrix: expanded, not copied; its gradient sums over the batch.
        Tensor matrix = weight.reshape(outChannels, -1).t().unsqueeze(0).expand(n, -1, -1);   // [N, C·kh·kw, O]
        Tensor product = bmm(columns.transpose(1, 2), matrix);                                // [N, H'·W', O]: NHWC
        if (bias is not null) product.add_(bias);
        return product.view(n, height, width, outChannels).permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }

    // The zeros before and after dimension d (0: height, 1: width). "Same" pads the kernel's span, d·(k − 1), half
    // before and the rest after (torch.nn.functional.conv2d with padding="same").
    private static (long Before, long After) Padding(Conv2d conv, int d)
    {
        if (conv.padding is { } padding) return (padding[d], padding[d]);
        if (conv.padding_type != TorchSharp.Padding.Same) return (0, 0);
        long span = conv.dilation[d] * (conv.kernel_size[d] - 1);
        return (span / 2, span - span / 2);
    }
}
