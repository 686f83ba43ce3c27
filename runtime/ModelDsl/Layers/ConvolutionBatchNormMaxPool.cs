using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// A 3×3 convolution of a one-channel float32 image [N, 1, H, W] (stride 1, padding 1, no bias) into C channels, a
/// training batch norm of its output and a 2×2 max pool at stride 2 (and optionally a ReLU), as one autograd node
/// (<see cref="MaxPooling2D.ForwardAfter(BatchNormalization, TorchSharp.Modules.Conv2d, Tensor, nn.Module, bool)"/>):
/// → [N, C, ⌊H/2⌋, ⌊W/2⌋] channels-last, the three (four) layers' values within float rounding. The convolution's
/// output, C times the image's size, is never written: each window's four outputs are computed from the image where the
/// pool needs them, and the forward keeps only each window's chosen output and position, as <see cref="BatchNormMaxPool"/>
/// does for a batch norm's input.
/// </summary>
/// <remarks>
/// <para>Written by hand because libtorch fuses none of these layers in training on the CPU, and a first layer with one
/// input channel is where the convolution's output costs most against its arithmetic (9 products per output value).</para>
/// <para>The batch norm (Ioffe and Szegedy 2015, Algorithm 1; PyTorch's <c>batch_norm</c> and <c>batch_norm_backward</c>)
/// normalizes y = w_c·p, p the 9 pixels under the kernel at each position (zero outside the image), over all N·H·W
/// positions of channel c: μ and the biased σ² from Σy and Σy², summed as the outputs are computed, in float per row of
/// windows, then in double. Windows are chosen on y·sign(γ), as <see cref="BatchNormMaxPool"/> chooses on x·sign(γ).</para>
/// <para>The backward computes the kernel's gradient without the convolution's output gradient ever being written. With
/// dz the pool's gradient at each window's chosen output (zero elsewhere; with the ReLU, zero too where the output was not
/// positive), ŷ = (y − μ)·s and s = 1/√(σ² + ε), the batch norm's input gradient is
/// dy = γs·(dz − mean(dz) − ŷ·mean(dz·ŷ)), and the kernel's, Σ over positions of dy·p, is
/// γs·(Σ dz·p − mean(dz)·S − mean(dz·ŷ)·s·(G·w_c − μ·S)) with S = Σ p and G = Σ p·pᵀ over all positions: the image's
/// 9-vector sum and 9×9 Gram matrix, which the forward sums once from 13 products per pixel (<see cref="SumMoments"/>). The only
/// per-window term, Σ dz·p, reads the pool's gradient and the image. The image gets no gradient: the node is used only
/// for an image that needs none (the model's input).</para>
/// <para>While gradients of the backward are recorded (<c>create_graph</c>) the backward recomputes the layers with
/// tensor operations and differentiates them, so second derivatives flow.</para>
/// </remarks>
internal sealed class ConvolutionBatchNormMaxPool : autograd.SingleTensorFunction<ConvolutionBatchNormMaxPool>
{
    public override string Name => "Conv2d+BatchNormalization+MaxPooling2D";

    /// <summary>
    /// Whether <see cref="MaxPooling2D.ForwardAfter(BatchNormalization, TorchSharp.Modules.Conv2d, Tensor, nn.Module, bool)"/>
    /// uses this node: by default where the runtime accelerates 512-bit vectors (its loops take 16 channels per vector;
    /// elsewhere .NET would emulate them, far slower than libtorch's layers). Process-wide, for tests.
    /// </summary>
    internal static bool Enabled { get; set; } = Vector512.IsHardwareAccelerated;

    /// <summary>
    /// Whether this node computes <paramref name="convolution"/> of <paramref name="image"/>: one float32 input channel
    /// on the CPU, 3×3, stride 1, padding 1 with zeros, no dilation, one group, no bias, and an image that needs no
    /// gradient, [N, 1, H, W] contiguous with H, W ≥ 2.
    /// </summary>
    public static bool Handles(TorchSharp.Modules.Conv2d convolution, Tensor image)
    {
        if (convolution is not { groups: 1, padding_mode: PaddingModes.Zeros, bias: null } || image.dim() != 4 || image.shape[1] != 1
            || image.shape[2] < 2 || image.shape[3] < 2 || image.dtype != ScalarType.Float32 || image.device_type != DeviceType.CPU
            || !image.is_contiguous() || image.requires_grad)
            return false;
        Tensor weight = convolution.weight!;
        long[] stride = convolution.stride, dilation = convolution.dilation;
        long[]? padding = convolution.padding;
        bool samePadding = convolution.padding_type == TorchSharp.Padding.Same || padding is { Length: 2 } && padding[0] == 1 && padding[1] == 1;
        return weight.dtype == ScalarType.Float32 && weight.device_type == DeviceType.CPU && weight.shape is [_, 1, 3, 3]
               && stride is [1, 1] && dilation is [1, 1] && samePadding;
    }

    /// <summary>
    /// Inputs: the image [N, 1, H, W], the convolution's weight [C, 1, 3, 3], γ and β ([C] float32, or null without
    /// affine), ε, the <see cref="BatchStatistics"/> to fill, and whether to rectify the output. Output: the pooled image,
    /// float32, channels-last.
    /// </summary>
    public override Tensor forward(autograd.AutogradContext ctx, params object?[] vars)
    {
        var image = (Tensor)vars[0]!;
        var kernel = (Tensor)vars[1]!;
        var weight = vars[2] as Tensor;
        var bias = vars[3] as Tensor;
        double eps = (double)vars[4]!;
        var statistics = (BatchStatistics)vars[5]!;
        bool rectify = (bool)vars[6]!;
        long[] shape = image.shape;
        int n = (int)shape[0], height = (int)shape[2], width = (int)shape[3], channels = (int)kernel.shape[0];
        var layout = new Layout(n, channels, height, width);
        float[] w = Weights(kernel), gamma = BatchStatistics.Gamma(weight, channels);
        float[] sign = new float[layout.PaddedChannels];
        for (int c = 0; c < channels; c++) sign[c] = gamma[c] > 0 ? 1f : gamma[c] < 0 ? -1f : 0f;   // 0 for γ = 0 (and NaN)
        long[] pooledShape = { n, height / 2, width / 2, channels };
        Tensor windowIndex = empty(pooledShape, ScalarType.Int32), selected = empty(pooledShape, ScalarType.Float32);

        int runs = TwoByTwoMaxPool.Runs(n);
        var sums = new double[runs * layout.PaddedChannels];
        var squares = new double[runs * layout.PaddedChannels];
        var moments = new double[runs * Moments];
        TwoByTwoMaxPool.ForEachImages(n, (run, first, last) =>
        {
            ReadOnlySpan<float> pixels = MemoryMarshal.Cast<byte, float>(image.bytes);
            float[] padded = new float[layout.PaddedLength];
            for (int b = first; b < last; b++)
            {
                layout.Pad(pixels, b, padded);
                Scan(layout, padded, b, w, sign, MemoryMarshal.Cast<byte, float>(selected.bytes), MemoryMarshal.Cast<byte, int>(windowIndex.bytes),
                    sums.AsSpan(run * layout.PaddedChannels, layout.PaddedChannels), squares.AsSpan(run * layout.PaddedChannels, layout.PaddedChannels));
                SumMoments(layout, padded, moments.AsSpan(run * Moments, Moments));
            }
        });
        statistics.FromSums(Compact(sums, runs, layout), Compact(squares, runs, layout), runs, (double)n * height * width);
        BatchStatistics.SumRuns(moments, runs, Moments);
        (double[] invStd, TwoByTwoMaxPool.ChannelAffine map) = statistics.Normalization(gamma, BatchStatistics.Beta(bias, channels), eps);

        ctx.save_for_backward(weight is not null && bias is not null ? new() { image, kernel, windowIndex, selected, weight, bias } : new() { image, kernel, windowIndex, selected });
        ctx.save_data("weights", w);
        ctx.save_data("gamma", gamma);
        ctx.save_data("mean", statistics.Mean);
        ctx.save_data("invStd", invStd);
        ctx.save_data("moments", moments[..Moments]);
        ctx.save_data("eps", eps);
        ctx.save_data("affine", weight is not null && bias is not null);
        ctx.save_data("map", map);
        ctx.save_data("rectify", rectify);

        return BatchNormMaxPool.Pooled<Float32Elements>(map, selected, n, channels, height / 2, width / 2, ScalarType.Float32, rectify);
    }

    /// <summary>No gradient for the image; then the kernel's, γ's and β's (null without affine); none for ε, the statistics and the flag.</summary>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        List<Tensor> saved = ctx.get_saved_variables();
        Tensor image = saved[0], kernel = saved[1], windowIndex = saved[2], selected = saved[3];
        bool affine = (bool)ctx.get_data("affine"), rectify = (bool)ctx.get_data("rectify");
        if (is_grad_enabled()) return Recomputed(image, kernel, affine ? saved[4] : null, affine ? saved[5] : null, grad_output, (double)ctx.get_data("eps"), rectify);

        long[] shape = image.shape;
        int n = (int)shape[0], height = (int)shape[2], width = (int)shape[3], channels = (int)kernel.shape[0];
        var layout = new Layout(n, channels, height, width);
        var mask = rectify ? (TwoByTwoMaxPool.ChannelAffine)ctx.get_data("map") : default;
        var gamma = (float[])ctx.get_data("gamma");
        var mean = (double[])ctx.get_data("mean");
        var invStd = (double[])ctx.get_data("invStd");
        double count = (double)n * height * width;

        using Tensor permuted = grad_output.permute(0, 2, 3, 1);
        using Tensor outputGradient = permuted.contiguous();   // itself (a new handle) when the gradient is channels-last

        // Σ dz and Σ dz·ŷ per channel (γ's and β's gradients), then Σ dz·p per channel and kernel position.
        (double[] sumDz, double[] sumDzXhat) = BatchNormMaxPool.SumWindowGradients<Float32Elements>(selected, outputGradient, n, layout.OutHeight, layout.OutWidth, mean, invStd, mask);
        int runs = TwoByTwoMaxPool.Runs(n);
        var sumDzP = new double[runs * Taps * layout.PaddedChannels];
        TwoByTwoMaxPool.ForEachImages(n, (run, first, last) =>
        {
            ReadOnlySpan<float> pixels = MemoryMarshal.Cast<byte, float>(image.bytes);
            float[] padded = new float[layout.PaddedLength];
            for (int b = first; b < last; b++)
            {
                layout.Pad(pixels, b, padded);
                SumGradientTimesPixels(layout, padded, b, MemoryMarshal.Cast<byte, float>(outputGradient.bytes), MemoryMarshal.Cast<byte, int>(windowIndex.bytes),
                    MemoryMarshal.Cast<byte, float>(selected.bytes), mask, sumDzP.AsSpan(run * Taps * layout.PaddedChannels, Taps * layout.PaddedChannels));
            }
        });
        BatchStatistics.SumRuns(sumDzP, runs, Taps * layout.PaddedChannels);
        Tensor kernelGradient = KernelGradient((float[])ctx.get_data("weights"), (double[])ctx.get_data("moments"), gamma, mean, invStd, sumDz, sumDzXhat, sumDzP, count, layout);
        return affine
            ? new() { null!, kernelGradient, BatchStatistics.Floats(sumDzXhat, channels), BatchStatistics.Floats(sumDz, channels), null!, null!, null! }
            : new() { null!, kernelGradient, null!, null!, null!, null!, null! };
    }

    // Kernel positions (3×3), and the image moments kept per run: S (9 sums) then G (9×9, row-major).
    private const int Taps = 9;
    private const int Moments = Taps + Taps * Taps;

    /// <summary>
    /// Sizes, and the zero-padded copy of one image the kernels read: one pixel of padding on each side, and room for a
    /// whole vector past the right edge, so a row of the convolution's inputs is read without a check per pixel.
    /// Channels are handled 16 at a time; <see cref="PaddedChannels"/> rounds C up to that (the extra channels have zero
    /// weights, and nothing of theirs is stored).
    /// </summary>
    private readonly record struct Layout(int Count, int Channels, int Height, int Width)
    {
        public int OutHeight => Height / 2;

        public int OutWidth => Width / 2;

        public int PaddedChannels => (Channels + 15) / 16 * 16;

        public int PaddedWidth => Width + 2 + Vector512<float>.Count;

        public int PaddedLength => (Height + 3) * PaddedWidth;   // a zero row more: the moments read two rows below the last

        /// <summary>Where position (r, c) of the convolution's output finds its top-left input in the padded image.</summary>
        public int Origin(int r, int c) => r * PaddedWidth + c;

        /// <summary>Copies image <paramref name="b"/> into <paramref name="padded"/>, whose border stays zero.</summary>
        public void Pad(ReadOnlySpan<float> pixels, int b, float[] padded)
        {
            if (pixels.Length < (long)Count * Height * Width)
                throw new InvalidOperationException($"MaxPooling2D: the convolution kernel got an image of {pixels.Length} pixels for {Count} images of {Height}×{Width}.");
            for (int r = 0; r < Height; r++)
                pixels.Slice((b * Height + r) * Width, Width).CopyTo(padded.AsSpan(Origin(r + 1, 1), Width));
        }
    }

    // The kernel as w[tap * PaddedChannels + c] (one row of channel weights per kernel position; zero for padded channels).
    private static float[] Weights(Tensor kernel)
    {
        int channels = (int)kernel.shape[0];
        int padded = new Layout(0, channels, 0, 0).PaddedChannels;
        using Tensor contiguous = kernel.contiguous();
        ReadOnlySpan<float> values = contiguous.data<float>().ToArray();
        var w = new float[Taps * padded];
        for (int c = 0; c < channels; c++)
            for (int tap = 0; tap < Taps; tap++)
                w[tap * padded + c] = values[c * Taps + tap];
        return w;
    }

    // y for 16 channels at the output whose top-left input is `p` in the padded image, w0–w8 the kernel's rows of channel
    // weights: two chains of FMAs. Inlined into the scans, so the nine weight vectors stay in registers.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Convolve(ref float p, int rowStride, Vector512<float> w0, Vector512<float> w1, Vector512<float> w2,
        Vector512<float> w3, Vector512<float> w4, Vector512<float> w5, Vector512<float> w6, Vector512<float> w7, Vector512<float> w8)
    {
        Vector512<float> even = Vector512.Create(p) * w0, odd = Vector512.Create(Unsafe.Add(ref p, 1)) * w1;
        even = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref p, 2)), w2, even);
        ref float middle = ref Unsafe.Add(ref p, rowStride);
        odd = Vector512.FusedMultiplyAdd(Vector512.Create(middle), w3, odd);
        even = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref middle, 1)), w4, even);
        odd = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref middle, 2)), w5, odd);
        ref float bottom = ref Unsafe.Add(ref middle, rowStride);
        even = Vector512.FusedMultiplyAdd(Vector512.Create(bottom), w6, even);
        odd = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref bottom, 1)), w7, odd);
        even = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref bottom, 2)), w8, even);
        return even + odd;
    }

    // The weights of kernel position `tap` for channels k … k + 15.
    private static Vector512<float> Row(float[] weights, int tap, Layout layout, int k) => Vector512.Create(weights.AsSpan(tap * layout.PaddedChannels + k));

    // The forward's pass over image b, 16 channels at a time: per window, its four outputs y, Σy and Σy² (every output,
    // including a last odd row or column that no window reaches), and the output the normalized maximum comes from: where
    // y·sign(γ) is largest, a later one winning when greater or NaN (the pool's rule). Its y goes to `selected`, its
    // position (0–3, row-major) to `index`.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scan(Layout layout, float[] padded, int b, float[] weights, float[] sign, Span<float> selected, Span<int> index,
        Span<double> sums, Span<double> squares)
    {
        (_, int channels, int height, int width) = layout;
        int rowStride = layout.PaddedWidth, outWidth = layout.OutWidth;
        if (selected.Length < (long)layout.Count * layout.OutHeight * outWidth * channels || index.Length < selected.Length)
            throw new InvalidOperationException("MaxPooling2D: the convolution kernel got pooled buffers shorter than the batch.");
        ref float pixel = ref MemoryMarshal.GetArrayDataReference(padded);
        Span<float> chosenLanes = stackalloc float[Vector512<float>.Count];
        Span<int> atLanes = stackalloc int[Vector512<float>.Count];
        for (int k = 0; k < layout.PaddedChannels; k += Vector512<float>.Count)
        {
            Vector512<float> w0 = Row(weights, 0, layout, k), w1 = Row(weights, 1, layout, k), w2 = Row(weights, 2, layout, k), w3 = Row(weights, 3, layout, k),
                w4 = Row(weights, 4, layout, k), w5 = Row(weights, 5, layout, k), w6 = Row(weights, 6, layout, k), w7 = Row(weights, 7, layout, k), w8 = Row(weights, 8, layout, k);
            Vector512<float> flip = Vector512.Create(sign.AsSpan(k));
            int lanes = Math.Min(Vector512<float>.Count, channels - k);
            for (int i = 0; i < layout.OutHeight; i++)
            {
                Vector512<float> sum = Vector512<float>.Zero, square = Vector512<float>.Zero;
                int outputRow = ((b * layout.OutHeight + i) * outWidth) * channels;
                for (int j = 0; j < outWidth; j++)
                {
                    int topLeft = layout.Origin(2 * i, 2 * j);
                    Vector512<float> chosen = Convolve(ref Unsafe.Add(ref pixel, topLeft), rowStride, w0, w1, w2, w3, w4, w5, w6, w7, w8);
                    sum += chosen;
                    square += chosen * chosen;
                    Vector512<float> best = chosen * flip;
                    Vector512<int> at = Vector512<int>.Zero;
                    for (int position = 1; position < 4; position++)
                    {
                        Vector512<float> candidate = Convolve(ref Unsafe.Add(ref pixel, topLeft + (position >> 1) * rowStride + (position & 1)), rowStride, w0, w1, w2, w3, w4, w5, w6, w7, w8);
                        sum += candidate;
                        square += candidate * candidate;
                        BatchNormMaxPool.Choose(candidate, flip, position, ref best, ref chosen, ref at);
                    }
                    int output = outputRow + j * channels + k;
                    if (lanes == Vector512<float>.Count)
                    {
                        chosen.CopyTo(selected.Slice(output));
                        at.CopyTo(index.Slice(output));
                    }
                    else
                    {
                        chosen.CopyTo(chosenLanes);
                        at.CopyTo(atLanes);
                        chosenLanes[..lanes].CopyTo(selected.Slice(output, lanes));
                        atLanes[..lanes].CopyTo(index.Slice(output, lanes));
                    }
                }
                if (width % 2 == 1)
                    for (int row = 2 * i; row < 2 * i + 2; row++)
                    {
                        Vector512<float> y = Convolve(ref Unsafe.Add(ref pixel, layout.Origin(row, width - 1)), rowStride, w0, w1, w2, w3, w4, w5, w6, w7, w8);
                        sum += y;
                        square += y * y;
                    }
                AddTo(sums.Slice(k), sum);
                AddTo(squares.Slice(k), square);
            }
            if (height % 2 == 1)
            {
                Vector512<float> sum = Vector512<float>.Zero, square = Vector512<float>.Zero;
                for (int c = 0; c < width; c++)
                {
                    Vector512<float> y = Convolve(ref Unsafe.Add(ref pixel, layout.Origin(height - 1, c)), rowStride, w0, w1, w2, w3, w4, w5, w6, w7, w8);
                    sum += y;
                    square += y * y;
                }
                AddTo(sums.Slice(k), sum);
                AddTo(squares.Slice(k), square);
            }
        }
    }

    // S = Σ p and G = Σ p·pᵀ over image b's H·W positions (p: the 9 pixels under the kernel, zero outside the image),
    // added to the double moments. G's entry for kernel positions k = (a, b) and l = (c, d) sums X[u][v]·X[u + c − a][v + d − b]
    // over the padded image's rows a…a + H − 1 and columns b…b + W − 1: the image times itself shifted by δ = l − k, summed
    // over the whole image, less its first or last row and column where k sits at the kernel's edge (the padding's rows and
    // columns are zero). So the pass sums, for the 13 shifts δ with δ or −δ among them, the products over the whole image,
    // over its first and last rows and columns, and at its four corners; 13 products per pixel instead of 45.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumMoments(Layout layout, float[] padded, Span<double> moments)
    {
        int height = layout.Height, width = layout.Width, rowStride = layout.PaddedWidth;
        // Per shift (and the unshifted image, shift 0 with itself counted once more for S): whole, row 1, row H, column 1, column W.
        Span<double> whole = stackalloc double[Shifts + 1], firstRow = stackalloc double[Shifts + 1], lastRow = stackalloc double[Shifts + 1];
        Span<double> firstColumn = stackalloc double[Shifts + 1], lastColumn = stackalloc double[Shifts + 1];
        Span<Vector512<float>> row = stackalloc Vector512<float>[Shifts + 1];
        ref float pixel = ref MemoryMarshal.GetArrayDataReference(padded);
        for (int u = 1; u <= height; u++)
        {
            row.Clear();
            for (int v = 1; v <= width; v += Vector512<float>.Count)   // lanes past column W read the zero margin
            {
                int at = u * rowStride + v;
                Vector512<float> x = Vector512.LoadUnsafe(ref pixel, (nuint)at);
                row[Shifts] += x;
                for (int shift = 0; shift < Shifts; shift++)
                    row[shift] += x * Vector512.LoadUnsafe(ref pixel, (nuint)(at + ShiftRows[shift] * rowStride + ShiftColumns[shift]));
            }
            for (int shift = 0; shift <= Shifts; shift++)
            {
                double sum = Vector512.Sum(row[shift]);
                whole[shift] += sum;
                if (u == 1) firstRow[shift] += sum;
                if (u == height) lastRow[shift] += sum;
                firstColumn[shift] += Product(ref pixel, u, 1, shift, rowStride);
                lastColumn[shift] += Product(ref pixel, u, width, shift, rowStride);
            }
        }
        for (int k = 0; k < Taps; k++)
        {
            moments[k] += Restricted(k, Shifts, whole, firstRow, lastRow, firstColumn, lastColumn, ref pixel, layout);
            for (int l = 0; l < Taps; l++)
            {
                int rows = l / 3 - k / 3, columns = l % 3 - k % 3;
                bool forward = rows > 0 || rows == 0 && columns >= 0;
                int shift = ShiftOf(forward ? rows : -rows, forward ? columns : -columns);
                moments[Taps + k * Taps + l] += Restricted(forward ? k : l, shift, whole, firstRow, lastRow, firstColumn, lastColumn, ref pixel, layout);
            }
        }
    }

    // The 13 shifts (rows, columns) of the image against itself that G needs, up to sign.
    private const int Shifts = 13;
    private static readonly int[] ShiftRows = { 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2 };
    private static readonly int[] ShiftColumns = { 0, 1, 2, -2, -1, 0, 1, 2, -2, -1, 0, 1, 2 };

    private static int ShiftOf(int rows, int columns) => rows == 0 ? columns : 3 + (rows - 1) * 5 + columns + 2;

    // X[u][v]·X[u + δr][v + δc] at one pixel (padded coordinates), or X[u][v] for the unshifted sum (shift = Shifts).
    private static float Product(ref float pixel, int u, int v, int shift, int rowStride)
    {
        float x = Unsafe.Add(ref pixel, u * rowStride + v);
        return shift == Shifts ? x : x * Unsafe.Add(ref pixel, (u + ShiftRows[shift]) * rowStride + v + ShiftColumns[shift]);
    }

    // A shift's sum over the rows and columns where kernel position k = (a, b) reads the image: all of them for a
    // middle position, without the last row (a = 0) or the first (a = 2), likewise for columns, adding back the corner
    // both left out.
    private static double Restricted(int k, int shift, Span<double> whole, Span<double> firstRow, Span<double> lastRow,
        Span<double> firstColumn, Span<double> lastColumn, ref float pixel, Layout layout)
    {
        int a = k / 3, b = k % 3, stride = layout.PaddedWidth;
        int row = a == 0 ? layout.Height : 1, column = b == 0 ? layout.Width : 1;
        double sum = whole[shift];
        if (a != 1) sum -= (a == 0 ? lastRow : firstRow)[shift];
        if (b != 1) sum -= (b == 0 ? lastColumn : firstColumn)[shift];
        if (a != 1 && b != 1) sum += Product(ref pixel, row, column, shift, stride);
        return sum;
    }

    // Σ dz·p per channel and kernel position over image b's windows, 16 channels at a time: dz is the pool's gradient at the
    // window's chosen output (with the ReLU, where that output was positive), so each window adds dz times the pixels under
    // the kernel at that output, picked per lane from the window's 4×4 patch by the kept index.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumGradientTimesPixels(Layout layout, float[] padded, int b, ReadOnlySpan<float> gradient, ReadOnlySpan<int> index,
        ReadOnlySpan<float> selected, TwoByTwoMaxPool.ChannelAffine mask, Span<double> sums)
    {
        int channels = layout.Channels, rowStride = layout.PaddedWidth, outWidth = layout.OutWidth;
        if (gradient.Length < (long)layout.Count * layout.OutHeight * outWidth * channels || index.Length < gradient.Length || selected.Length < gradient.Length)
            throw new InvalidOperationException("MaxPooling2D: the convolution kernel got pooled buffers shorter than the batch.");
        bool rectified = mask.Scale is not null;
        ref float pixel = ref MemoryMarshal.GetArrayDataReference(padded);
        Span<Vector512<float>> t = stackalloc Vector512<float>[Taps];
        Span<float> lanesIn = stackalloc float[2 * Vector512<float>.Count];   // a part vector's two inputs, zero-filled past C
        Span<int> indexLanes = stackalloc int[Vector512<float>.Count];
        for (int k = 0; k < layout.PaddedChannels; k += Vector512<float>.Count)
        {
            int lanes = Math.Min(Vector512<float>.Count, channels - k);
            Vector512<float> scale = default, shift = default;
            if (rectified)
            {
                lanesIn.Clear();
                mask.Scale.AsSpan(k, lanes).CopyTo(lanesIn);
                mask.Shift.AsSpan(k, lanes).CopyTo(lanesIn.Slice(Vector512<float>.Count));
                scale = Vector512.Create((ReadOnlySpan<float>)lanesIn);
                shift = Vector512.Create((ReadOnlySpan<float>)lanesIn.Slice(Vector512<float>.Count));
            }
            for (int i = 0; i < layout.OutHeight; i++)
            {
                Vector512<float> t0 = default, t1 = default, t2 = default, t3 = default, t4 = default, t5 = default, t6 = default, t7 = default, t8 = default;
                int outputRow = ((b * layout.OutHeight + i) * outWidth) * channels;
                for (int j = 0; j < outWidth; j++)
                {
                    int output = outputRow + j * channels + k;
                    Vector512<float> g, chosen;
                    Vector512<int> at;
                    if (lanes == Vector512<float>.Count)
                    {
                        g = Vector512.Create(gradient.Slice(output));
                        chosen = Vector512.Create(selected.Slice(output));
                        at = Vector512.Create(index.Slice(output));
                    }
                    else
                    {
                        lanesIn.Clear();
                        indexLanes.Clear();
                        gradient.Slice(output, lanes).CopyTo(lanesIn);
                        selected.Slice(output, lanes).CopyTo(lanesIn.Slice(Vector512<float>.Count));
                        index.Slice(output, lanes).CopyTo(indexLanes);
                        g = Vector512.Create((ReadOnlySpan<float>)lanesIn);
                        chosen = Vector512.Create((ReadOnlySpan<float>)lanesIn.Slice(Vector512<float>.Count));
                        at = Vector512.Create((ReadOnlySpan<int>)indexLanes);
                    }
                    if (rectified) g &= Vector512.GreaterThan(chosen * scale + shift, Vector512<float>.Zero);
                    // Each lane's kept output sits at row (index >> 1) and column (index & 1) of its window, so the pixels
                    // under the kernel there are the window's 4×4 patch shifted by those bits: rows picked by one blend,
                    // then columns by another, where masking dz per position would take four times the products.
                    Vector512<float> lower = Vector512.Equals(at & Vector512.Create(2), Vector512.Create(2)).AsSingle();
                    Vector512<float> right = Vector512.Equals(at & Vector512.Create(1), Vector512.Create(1)).AsSingle();
                    ref float row0 = ref Unsafe.Add(ref pixel, layout.Origin(2 * i, 2 * j));
                    ref float row1 = ref Unsafe.Add(ref row0, rowStride);
                    ref float row2 = ref Unsafe.Add(ref row1, rowStride);
                    ref float row3 = ref Unsafe.Add(ref row2, rowStride);
                    Vector512<float> a0 = Rows(lower, ref row0, ref row1, 0), a1 = Rows(lower, ref row0, ref row1, 1), a2 = Rows(lower, ref row0, ref row1, 2), a3 = Rows(lower, ref row0, ref row1, 3);
                    Vector512<float> b0 = Rows(lower, ref row1, ref row2, 0), b1 = Rows(lower, ref row1, ref row2, 1), b2 = Rows(lower, ref row1, ref row2, 2), b3 = Rows(lower, ref row1, ref row2, 3);
                    Vector512<float> d0 = Rows(lower, ref row2, ref row3, 0), d1 = Rows(lower, ref row2, ref row3, 1), d2 = Rows(lower, ref row2, ref row3, 2), d3 = Rows(lower, ref row2, ref row3, 3);
                    t0 = Vector512.FusedMultiplyAdd(g, Vector512.ConditionalSelect(right, a1, a0), t0);
                    t1 = Vector512.FusedMultiplyAdd(g, Vector512.ConditionalSelect(right, a2, a1), t1);
                    t2 = Vector512.FusedMultiplyAdd(g, Vector512.ConditionalSelect(right, a3, a2), t2);
                    t3 = Vector512.FusedMultiplyAdd(g, Vector512.ConditionalSelect(right, b1, b0), t3);
                    t4 = Vector512.FusedMultiplyAdd(g, Vector512.ConditionalSelect(right, b2, b1), t4);
                    t5 = Vector512.FusedMultiplyAdd(g, Vector512.ConditionalSelect(right, b3, b2), t5);
                    t6 = Vector512.FusedMultiplyAdd(g, Vector512.ConditionalSelect(right, d1, d0), t6);
                    t7 = Vector512.FusedMultiplyAdd(g, Vector512.ConditionalSelect(right, d2, d1), t7);
                    t8 = Vector512.FusedMultiplyAdd(g, Vector512.ConditionalSelect(right, d3, d2), t8);
                }
                t[0] = t0; t[1] = t1; t[2] = t2; t[3] = t3; t[4] = t4; t[5] = t5; t[6] = t6; t[7] = t7; t[8] = t8;
                for (int tap = 0; tap < Taps; tap++) AddTo(sums.Slice(tap * layout.PaddedChannels + k), t[tap]);
            }
        }
    }

    // Per lane, the pixel in column `column` of the lower row where the lane's kept output is in its window's lower row, else of the upper.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Rows(Vector512<float> lower, ref float upperRow, ref float lowerRow, int column)
        => Vector512.ConditionalSelect(lower, Vector512.Create(Unsafe.Add(ref lowerRow, column)), Vector512.Create(Unsafe.Add(ref upperRow, column)));

    // The kernel's gradient [C, 1, 3, 3] from the sums (see the class remarks), in double.
    private static Tensor KernelGradient(float[] weights, double[] moments, float[] gamma, double[] mean, double[] invStd,
        double[] sumDz, double[] sumDzXhat, double[] sumDzP, double count, Layout layout)
    {
        int channels = layout.Channels, padded = layout.PaddedChannels;
        var gradient = new float[channels * Taps];
        for (int c = 0; c < channels; c++)
        {
            double s = invStd[c], meanDz = sumDz[c] / count, meanDzXhat = sumDzXhat[c] / count;
            for (int tap = 0; tap < Taps; tap++)
            {
                double gw = 0;   // (G·w_c)[tap] = Σ y_c·p[tap]
                for (int other = 0; other < Taps; other++) gw += moments[Taps + tap * Taps + other] * weights[other * padded + c];
                double pixelSum = moments[tap];
                gradient[c * Taps + tap] = (float)(gamma[c] * s * (sumDzP[tap * padded + c] - meanDz * pixelSum - meanDzXhat * s * (gw - mean[c] * pixelSum)));
            }
        }
        Tensor result = empty(new long[] { channels, 1, 3, 3 }, ScalarType.Float32);
        result.bytes = MemoryMarshal.AsBytes(gradient.AsSpan());
        return result;
    }

    private static void AddTo(Span<double> total, Vector512<float> part)
    {
        BatchStatistics.AddTo(total, part.GetLower());
        BatchStatistics.AddTo(total.Slice(Vector256<float>.Count), part.GetUpper());
    }

    // Partial sums per run over padded channels → per run over the channels (what BatchStatistics.FromSums reads).
    private static double[] Compact(double[] sums, int runs, Layout layout)
    {
        var compact = new double[runs * layout.Channels];
        for (int run = 0; run < runs; run++)
            Array.Copy(sums, run * layout.PaddedChannels, compact, run * layout.Channels, layout.Channels);
        return compact;
    }

    // The three (four) layers again as tensor operations, differentiated with the graph kept (second derivatives).
    private static List<Tensor> Recomputed(Tensor image, Tensor kernel, Tensor? weight, Tensor? bias, Tensor gradient, double eps, bool rectify)
    {
        using var scope = NewDisposeScope();
        Tensor output = nn.functional.conv2d(image, kernel, padding: new long[] { 1, 1 });
        output = nn.functional.batch_norm(output, null, null, weight, bias, training: true, eps: eps);
        output = nn.functional.max_pool2d(output, new long[] { 2, 2 }, new long[] { 2, 2 });
        if (rectify) output = nn.functional.relu(output);
        var inputs = new[] { kernel, weight, bias };
        var wanted = Array.FindAll(inputs, t => t is { requires_grad: true });
        var gradients = autograd.grad(new[] { output }, wanted!, new[] { gradient }, retain_graph: true, create_graph: true);
        var result = new List<Tensor> { null! };
        int next = 0;
        foreach (Tensor? t in inputs) result.Add(t is { requires_grad: true } ? gradients[next++].MoveToOuterDisposeScope() : null!);
        result.AddRange(new Tensor[] { null!, null!, null! });   // ε, the statistics and the flag
        return result;
    }
}
