using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// A 2-D convolution of an NCHW image computed straight into channels-last (NHWC) memory: the image unfolded into
/// columns (im2col, libtorch's <c>unfold</c>) and one batched matrix product per call,
/// <c>out[n, l, o] = Σₖ cols[n, k, l] · W[o, k]</c> (Chellapilla et al., "High Performance Convolutional Neural Networks
/// for Document Processing", 2006), so the product writes NHWC directly. <see cref="ChannelsLast.FromLayer"/> uses it
/// where a model switches to channels-last after a convolution of its input. For an image that is channels-last
/// already, <see cref="ForwardChannelsLast"/> does the same a block of images at a time, without gradients
/// (<see cref="ChannelsLast.Convolve"/>, <see cref="FoldedInference"/>).
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
        long height = OutputSize(conv, x.shape[2], top, 0), width = OutputSize(conv, x.shape[3], left, 1);
        Tensor columns = nn.functional.unfold(x, (kernel[0], kernel[1]), (dilation[0], dilation[1]), (top, left), (stride[0], stride[1]));   // [N, C·kh·kw, H'·W']
        Tensor matrix = weight.reshape(outChannels, -1).t();                                  // [C·kh·kw, O]
        // A large batch takes the bias as one more term of every dot product (a row of ones times the bias) instead of a
        // pass over the output to add it: the MNIST CNN's first convolution at batch 128, 1.74–1.91 against 1.95–2.04 ms.
        // A small one (under 16,384 output positions) adds it after: the two concatenations cost more than the pass at batch 1.
        bool biasInProduct = bias is not null && n * height * width >= 16384;
        if (biasInProduct)
        {
            columns = cat(new[] { columns, ones(n, 1, columns.shape[2], columns.dtype, columns.device) }, 1);
            matrix = cat(new[] { matrix, bias!.unsqueeze(0) }, 0);
        }
        // The batch shares one weight matrix: expanded, not copied; its gradient sums over the batch.
        Tensor product = bmm(columns.transpose(1, 2), matrix.unsqueeze(0).expand(n, -1, -1)); // [N, H'·W', O]: NHWC
        if (bias is not null && !biasInProduct) product.add_(bias);
        return product.view(n, height, width, outChannels).permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Output rows (images × output positions) per matrix product in <see cref="ForwardChannelsLast"/>: the unfolded
    /// rows of a block of images and their outputs stay in the core's caches between the copy and the product. Measured
    /// at one thread on a Zen 5 core for 3×3 convolutions of 16–64 channels: 1,024–2,048 rows ran fastest (1,024 by a
    /// few per cent at 14×14), the whole batch at once 10–25 % slower.
    /// </summary>
    private const long RowsPerProduct = 1024;

    /// <summary>
    /// True when <see cref="ForwardChannelsLast"/> runs <paramref name="conv"/> over <paramref name="x"/>: a
    /// channels-last [N, C, H, W] image on the CPU without oneDNN, an ungrouped convolution with zero padding (numbers,
    /// valid, or same that pads both sides alike), and enough work for the unfolding's dozen operations per call and
    /// half-dozen per block to pay: C ≥ 8 (each window is copied in runs of C numbers), kh·kw·C·O ≥ 2,048 (a block's
    /// product, ~1,024 rows by that, outweighs its operations) and N·H'·W'·kh·kw·C·O ≥ 2²⁵ multiply-adds in all (about
    /// 0.4 ms of products on one Zen 5 core). At batch 1 the ResNetMnist network's 28×28 convolutions (1.8 M
    /// multiply-adds each) took the folded forward from 0.99 to 1.24 ms this way; at batch 128 (231 M each) it saved
    /// 10–35 % per convolution.
    /// </summary>
    public static bool AppliesChannelsLast(Conv2d conv, Tensor x)
    {
        // The module's own fields first; each question to libtorch is a native call, and a small convolution takes microseconds.
        if (conv is not { groups: 1, padding_mode: PaddingModes.Zeros, kernel_size.Length: 2 } || LibTorchBackends.OneDnnEnabled) return false;
        // In-place products need one type: a bfloat16 image from autocast goes to the layer's own (autocast) forward.
        if (x.dtype != conv.weight!.dtype) return false;
        var (top, bottom) = Padding(conv, 0);
        var (left, right) = Padding(conv, 1);
        if (top != bottom || left != right) return false;
        long[] shape = x.shape;
        if (shape.Length != 4 || shape[1] < 8 || shape[1] != conv.in_channels) return false;   // a wrong input is conv.forward's to refuse
        long perRow = conv.kernel_size[0] * conv.kernel_size[1] * shape[1] * conv.out_channels;   // multiply-adds per output position
        long rows = shape[0] * OutputSize(conv, shape[2], top, 0) * OutputSize(conv, shape[3], left, 1);
        return perRow >= 2048 && rows * perRow >= 1L << 25
               && x.device_type == DeviceType.CPU && x.is_floating_point() && ChannelsLast.IsChannelsLast(x);
    }

    /// <summary>
    /// <paramref name="conv"/>'s output for a channels-last <paramref name="x"/> [N, C, H, W] with
    /// <paramref name="weight"/> [O, C, kh, kw] and <paramref name="bias"/> [O] (the layer's own, or folded ones), shape
    /// [N, O, H', W'] with channels-last strides, then max(0, ·) where <paramref name="rectify"/>. Records no gradients:
    /// for eval (<see cref="FoldedInference"/>, <see cref="ChannelsLast.Convolve"/>).
    /// </summary>
    /// <remarks>
    /// The NHWC image's k×k windows are views (<c>Tensor.unfold</c> over height, then width), so the only copy is the
    /// unfolding of one block of images at a time into rows [positions, kh·kw·C], multiplied by the weight as
    /// [kh·kw·C, O] straight into the output's NHWC rows (<c>addmm_</c>); bias and ReLU are applied to the block while it
    /// is in cache. libtorch's own channels-last convolution unfolds the same way but multiplies one image at a time:
    /// at batch 128 the MNIST CNN's second convolution (32 → 64 channels, 14×14) took 6.2–7.5 against 7.0–9.1 ms (three
    /// runs, one thread; the sums are the same, and so were the outputs, bit for bit). For small convolutions libtorch's
    /// is faster (<see cref="AppliesChannelsLast"/>): one 14×14 image, 0.07 against 0.08–0.11 ms.
    /// </remarks>
    public static Tensor ForwardChannelsLast(Conv2d conv, Tensor x, Tensor weight, Tensor? bias, bool rectify)
    {
        long n = x.shape[0], outChannels = weight.shape[0];
        long[] kernel = conv.kernel_size, stride = conv.stride, dilation = conv.dilation;
        var (top, _) = Padding(conv, 0);
        var (left, _) = Padding(conv, 1);
        long height = OutputSize(conv, x.shape[2], top, 0), width = OutputSize(conv, x.shape[3], left, 1);

        using var scope = NewDisposeScope();
        Tensor image = x.permute(0, 2, 3, 1);                                                   // [N, H, W, C], contiguous
        if (top > 0 || left > 0) image = nn.functional.pad(image, new[] { 0, 0, left, left, top, top });
        long spanH = dilation[0] * (kernel[0] - 1) + 1, spanW = dilation[1] * (kernel[1] - 1) + 1;
        Tensor windows = image.unfold(1, spanH, stride[0]).unfold(2, spanW, stride[1]);           // [N, H', W', C, spanH, spanW]
        if (dilation[0] > 1 || dilation[1] > 1) windows = windows.slice(4, 0, spanH, dilation[0]).slice(5, 0, spanW, dilation[1]);
        windows = windows.permute(0, 1, 2, 4, 5, 3);                                             // [N, H', W', kh, kw, C]: C innermost, as the image
        Tensor matrix = weight.permute(2, 3, 1, 0).reshape(-1, outChannels);                     // [kh·kw·C, O]
        Tensor output = empty(new[] { n, height, width, outChannels }, x.dtype, x.device);
        long images = Math.Max(1, RowsPerProduct / (height * width));
        for (long start = 0; start < n; start += images)
        {
            using var block = NewDisposeScope();
            long end = Math.Min(n, start + images), rows = (end - start) * height * width;
            Tensor columns = windows.slice(0, start, end, 1).reshape(rows, -1);                  // the one copy: im2col of this block
            Tensor target = output.slice(0, start, end, 1).view(rows, outChannels);
            if (bias is null) target.addmm_(columns, matrix, beta: 0);                           // beta 0: the empty memory is never read
            else target.copy_(bias.expand(rows, outChannels)).addmm_(columns, matrix);
            if (rectify) target.relu_();
        }
        return output.permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }

    // torch.nn.Conv2d, "Shape": H' = ⌊(H + 2p − d·(k − 1) − 1) / s⌋ + 1, with p the zeros on each side.
    private static long OutputSize(Conv2d conv, long size, long padding, int d)
        => (size + 2 * padding - conv.dilation[d] * (conv.kernel_size[d] - 1) - 1) / conv.stride[d] + 1;

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
