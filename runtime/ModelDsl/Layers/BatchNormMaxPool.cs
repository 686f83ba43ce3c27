using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// A training batch norm followed by a 2×2 max pool at stride 2, of a float32 (or bfloat16) channels-last image [N, C, H, W] on the CPU,
/// as one autograd node (<see cref="MaxPooling2D.ForwardAfter(BatchNormalization, Tensor, bool)"/>): y = (x − μ)/√(σ² + ε)·γ + β with the batch's mean μ
/// and biased variance σ² per channel (Ioffe and Szegedy 2015, Algorithm 1; PyTorch's <c>batch_norm</c> in training),
/// then the maximum of each window, → [N, C, ⌊H/2⌋, ⌊W/2⌋] channels-last, and optionally a ReLU, max(0, ·), on that
/// (a ReLU before the pool gives the same: the two commute). The normalized image is never written. The
/// forward reads x once: the normalization is increasing in x where γ > 0 and decreasing where γ &lt; 0, so each window's
/// maximum comes from its element with the largest x·sign(γ), known before the statistics are; the pass sums Σx and Σx²
/// and keeps that element's x and position, and the output is their normalization. The backward reads those pooled-size
/// arrays (two sums per channel), then x once (the input's gradient). The two layers apart also read x twice, write the
/// normalized image and read it back, and zero-fill, scatter into and read back the pool's input gradient.
/// </summary>
/// <remarks>
/// <para>Written by hand because libtorch has no fused batch norm for training on the CPU. The backward is the batch
/// norm's (PyTorch's <c>batch_norm_backward</c>): with ŷ = (x − μ)·s, s = 1/√(σ² + ε) and dy the pool's gradient (each
/// window's output gradient at its maximum, zero elsewhere), dx = γs·(dy − mean(dy) − ŷ·mean(dy·ŷ)), dγ = Σ dy·ŷ,
/// dβ = Σ dy, the means and sums over N·H·W per channel, accumulated in double. With the ReLU, a window's gradient
/// passes only where its output was positive (PyTorch's <c>threshold_backward</c>), decided from the kept x again.</para>
/// <para>The statistics are summed in one pass in double (σ² = E[x²] − μ²), so they differ from libtorch's float ones in
/// the last bits. Windows are decided on x itself: where two different x normalize to the same float, the unfused
/// layers see a tie and keep the first, this kernel the larger; exact ties keep the first in both (with γ = 0 all four
/// tie: the first). Only the gradient's routing can then differ, in such rare windows.</para>
/// <para>A bfloat16 image (what a convolution hands over under autocast) is read as it is, each element widened to
/// float32 (exact) as it is loaded: the same arithmetic as on a widened float32 copy, without the copy. The output and
/// the input's gradient are bfloat16 (the types libtorch's batch norm gives for a bfloat16 input), rounded once to the
/// nearest even (<see cref="BFloat16Elements"/>); the statistics and γ's and β's gradients are the float32 ones. The
/// kernels are generic over the element type for this.</para>
/// <para>While gradients of the backward are recorded (<c>create_graph</c>) the backward recomputes the two layers with
/// tensor operations and differentiates them, so second derivatives flow.</para>
/// </remarks>
internal sealed class BatchNormMaxPool : autograd.SingleTensorFunction<BatchNormMaxPool>
{
    public override string Name => "BatchNormalization+MaxPooling2D";

    /// <summary>
    /// Whether the forward's scan and the input gradient's pass take 16 channels per vector (<see cref="Vector512"/>)
    /// before 8 (<see cref="Vector256"/>): by default where the runtime accelerates 512-bit vectors (it does not on CPUs
    /// that slow down for them). Each channel's arithmetic is the same either way, so the results agree bit for bit; only
    /// the speed differs (MNIST CNN's training step about 5 % faster on an AVX-512 Xeon). Process-wide, for tests. The two
    /// widths are the same loop written twice: .NET 10 keeps its generic vector interface (ISimdVector) internal.
    /// </summary>
    internal static bool WideVectors { get; set; } = Vector512.IsHardwareAccelerated;

    /// <summary>
    /// Inputs: the image (see <see cref="TwoByTwoMaxPool.Handles"/>), γ and β ([C] float32, or null without affine), ε, the
    /// <see cref="BatchStatistics"/> to fill, and whether to rectify the output (a ReLU after the pool). Output: the pooled
    /// image in the input's type, channels-last.
    /// </summary>
    public override Tensor forward(autograd.AutogradContext ctx, params object?[] vars)
        => ((Tensor)vars[0]!).dtype == ScalarType.BFloat16 ? Forward<BFloat16Elements>(ctx, vars) : Forward<Float32Elements>(ctx, vars);

    // The forward for the image's element type (one instantiation per type, so the kernels' loads inline).
    private static Tensor Forward<TImage>(autograd.AutogradContext ctx, object?[] vars) where TImage : struct, IImageElements
    {
        var input = (Tensor)vars[0]!;
        var weight = vars[1] as Tensor;
        var bias = vars[2] as Tensor;
        double eps = (double)vars[3]!;
        var statistics = (BatchStatistics)vars[4]!;
        bool rectify = (bool)vars[5]!;
        long[] shape = input.shape;
        int n = (int)shape[0], channels = (int)shape[1], height = (int)shape[2], width = (int)shape[3];
        var images = new TwoByTwoMaxPool.Images(n, channels, height, width);
        float[] gamma = BatchStatistics.Gamma(weight, channels);
        long[] pooledShape = { n, height / 2, width / 2, channels };
        Tensor windowIndex = empty(pooledShape, ScalarType.Int32), selected = empty(pooledShape, ScalarType.Float32);

        // One pass over x: Σx and Σx² per channel, and each window's element that the normalized maximum will come from.
        int runs = TwoByTwoMaxPool.Runs(n);
        var sums = new double[runs * channels];
        var squares = new double[runs * channels];
        float[] sign = Array.ConvertAll(gamma, g => g > 0 ? 1f : g < 0 ? -1f : 0f);   // 0 for γ = 0 (and NaN: all NaN then)
        using (Tensor image = input.permute(0, 2, 3, 1))
        {
            TwoByTwoMaxPool.ForEachImages(n, (run, first, last) => ScanImages<TImage>(images, first, last, image.bytes, sign,
                MemoryMarshal.Cast<byte, float>(selected.bytes), MemoryMarshal.Cast<byte, int>(windowIndex.bytes),
                sums.AsSpan(run * channels, channels), squares.AsSpan(run * channels, channels)));
        }
        statistics.FromSums(sums, squares, runs, (double)n * height * width);
        (double[] invStd, TwoByTwoMaxPool.ChannelAffine map) = statistics.Normalization(gamma, BatchStatistics.Beta(bias, channels), eps);
        ctx.save_for_backward(weight is not null && bias is not null ? new() { input, windowIndex, selected, weight, bias } : new() { input, windowIndex, selected });
        ctx.save_data("gamma", gamma);
        ctx.save_data("mean", statistics.Mean);
        ctx.save_data("invStd", invStd);
        ctx.save_data("eps", eps);
        ctx.save_data("affine", weight is not null && bias is not null);
        ctx.save_data("map", map);
        ctx.save_data("rectify", rectify);

        return Pooled<TImage>(map, selected, n, channels, height / 2, width / 2, input.dtype, rectify);
    }

    /// <summary>
    /// The node's output [N, C, h, w] (channels-last, in <paramref name="dtype"/>): each window's kept value
    /// (<paramref name="selected"/>, [N, h, w, C] float32) through the batch norm's map, rectified where asked.
    /// </summary>
    internal static Tensor Pooled<TImage>(TwoByTwoMaxPool.ChannelAffine map, Tensor selected, int n, int channels, int height, int width,
        ScalarType dtype, bool rectify) where TImage : struct, IImageElements
    {
        Tensor pooled = TwoByTwoMaxPool.EmptyChannelsLast(n, channels, height, width, dtype);
        using (Tensor target = pooled.permute(0, 2, 3, 1))
            BatchStatistics.Apply<TImage>(map, MemoryMarshal.Cast<byte, float>(selected.bytes), target.bytes, rectify);
        return pooled;
    }

    /// <summary>The image's gradient (channels-last), then γ's and β's (null without affine), none for ε, the statistics and the flag.</summary>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        List<Tensor> saved = ctx.get_saved_variables();
        Tensor input = saved[0];
        bool affine = (bool)ctx.get_data("affine"), rectify = (bool)ctx.get_data("rectify");
        if (is_grad_enabled())
        {
            List<Tensor> gradients = BatchStatistics.Recomputed(input, affine ? saved[3] : null, affine ? saved[4] : null, grad_output,
                (double)ctx.get_data("eps"), normalized =>
                {
                    Tensor pooled = nn.functional.max_pool2d(normalized, new long[] { 2, 2 }, new long[] { 2, 2 });
                    return rectify ? nn.functional.relu(pooled) : pooled;
                });
            gradients.AddRange(new Tensor[] { null!, null!, null! });   // ε, the statistics and the flag
            return gradients;
        }
        return input.dtype == ScalarType.BFloat16 ? Backward<BFloat16Elements>(ctx, saved, grad_output) : Backward<Float32Elements>(ctx, saved, grad_output);
    }

    // The kernels' backward for the image's element type.
    private static List<Tensor> Backward<TImage>(autograd.AutogradContext ctx, List<Tensor> saved, Tensor grad_output) where TImage : struct, IImageElements
    {
        Tensor input = saved[0], windowIndex = saved[1], selected = saved[2];
        long[] shape = input.shape;
        bool affine = (bool)ctx.get_data("affine"), rectify = (bool)ctx.get_data("rectify");
        // With the ReLU, a window's gradient passes where its output is positive: x·scale + shift > 0 for its kept x.
        var mask = rectify ? (TwoByTwoMaxPool.ChannelAffine)ctx.get_data("map") : default;
        var gamma = (float[])ctx.get_data("gamma");
        var mean = (double[])ctx.get_data("mean");
        var invStd = (double[])ctx.get_data("invStd");
        int n = (int)shape[0], channels = (int)shape[1], height = (int)shape[2], width = (int)shape[3];
        var images = new TwoByTwoMaxPool.Images(n, channels, height, width);
        double count = (double)n * height * width;

        using Tensor permuted = grad_output.permute(0, 2, 3, 1);
        using Tensor outputGradient = permuted.contiguous();   // itself (a new handle) when the gradient is channels-last
        using Tensor image = input.permute(0, 2, 3, 1);

        // Σ dy and Σ dy·ŷ per channel: dy is non-zero only at each window's maximum, whose x the forward kept.
        (double[] sumDy, double[] sumDyXhat) = SumWindowGradients<TImage>(selected, outputGradient, n, images.OutHeight, images.OutWidth, mean, invStd, mask);
        (float[] gain, float[] offset, float[] slope) = BatchStatistics.InputGradient(gamma, mean, invStd, sumDy, sumDyXhat, count);
        Tensor inputGradient = TwoByTwoMaxPool.EmptyChannelsLast(n, channels, height, width, input.dtype);
        using (Tensor target = inputGradient.permute(0, 2, 3, 1))
        {
            TwoByTwoMaxPool.ForEachImages(n, (_, first, last) => GradientImages<TImage>(images, first, last, image.bytes, outputGradient.bytes,
                MemoryMarshal.Cast<byte, int>(windowIndex.bytes), MemoryMarshal.Cast<byte, float>(selected.bytes), mask, gain, offset, slope, target.bytes));
        }
        return affine
            ? new() { inputGradient, BatchStatistics.Floats(sumDyXhat, channels), BatchStatistics.Floats(sumDy, channels), null!, null!, null! }
            : new() { inputGradient, null!, null!, null!, null!, null! };
    }

    // The forward's one pass over x. Per row of windows (two rows of pixels, which fit the L1 cache) and channel vector:
    // Σx and Σx² of every pixel, in float, then added to double sums; and per window the element the normalized maximum
    // comes from. The normalization is x·γs + const with s > 0, increasing in x where γ > 0 and decreasing where γ < 0,
    // so that element is where x·sign(γ) is largest (γ = 0 makes all four equal: the first, as PyTorch's pool picks
    // ties). The same scan order and rule as the pool's kernel: a later element wins when greater or NaN. Its x goes to
    // `selected`, its position to `index`. A last odd row or column, which no window reaches, only adds to the sums.
    // Channels go 16 at a time where WideVectors says so, then 8, then one by one: the same loop at each width (each
    // lane is one channel, so the widths agree bit for bit).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScanImages<TImage>(TwoByTwoMaxPool.Images images, int first, int last, ReadOnlySpan<byte> source, float[] sign,
        Span<float> selected, Span<int> index, Span<double> sums, Span<double> squares) where TImage : struct, IImageElements
    {
        (_, int channels, int height, int width) = images;
        images.Require(source.Length / TImage.Size, selected.Length, index.Length);
        ref byte x0 = ref MemoryMarshal.GetReference(source);
        ref float selected0 = ref MemoryMarshal.GetReference(selected);
        ref int index0 = ref MemoryMarshal.GetReference(index);
        for (int b = first; b < last; b++)
        {
            for (int i = 0; i < images.OutHeight; i++)
            {
                int outputRow = images.OutputRow(b, i), inputRow = images.InputRow(b, i);
                int k = 0;
                if (WideVectors)
                {
                    for (; k <= channels - Vector512<float>.Count; k += Vector512<float>.Count)
                    {
                        Vector512<float> flip = Vector512.Create(sign.AsSpan(k));
                        Vector512<float> sum = Vector512<float>.Zero, square = Vector512<float>.Zero;
                        for (int j = 0; j < images.OutWidth; j++)
                        {
                            nuint output = (nuint)(outputRow + j * channels + k);
                            int topLeft = inputRow + 2 * j * channels + k;
                            Vector512<float> x = TImage.Load512(ref x0, (nuint)topLeft);
                            sum += x;
                            square += x * x;
                            Vector512<float> best = x * flip, chosen = x;
                            Vector512<int> at = Vector512<int>.Zero;
                            for (int position = 1; position < 4; position++)
                            {
                                Vector512<float> candidate = TImage.Load512(ref x0, (nuint)images.Element(topLeft, position));
                                sum += candidate;
                                square += candidate * candidate;
                                Choose(candidate, flip, position, ref best, ref chosen, ref at);
                            }
                            chosen.StoreUnsafe(ref selected0, output);
                            at.StoreUnsafe(ref index0, output);
                        }
                        if (width % 2 == 1)
                        {
                            for (int row = 0; row < 2; row++)
                            {
                                Vector512<float> x = TImage.Load512(ref x0, (nuint)(inputRow + row * images.RowStride + (width - 1) * channels + k));
                                sum += x;
                                square += x * x;
                            }
                        }
                        BatchStatistics.AddTo(sums.Slice(k), sum.GetLower());
                        BatchStatistics.AddTo(sums.Slice(k + Vector256<float>.Count), sum.GetUpper());
                        BatchStatistics.AddTo(squares.Slice(k), square.GetLower());
                        BatchStatistics.AddTo(squares.Slice(k + Vector256<float>.Count), square.GetUpper());
                    }
                }
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; k <= channels - Vector256<float>.Count; k += Vector256<float>.Count)
                    {
                        Vector256<float> flip = Vector256.Create(sign.AsSpan(k));
                        Vector256<float> sum = Vector256<float>.Zero, square = Vector256<float>.Zero;
                        for (int j = 0; j < images.OutWidth; j++)
                        {
                            nuint output = (nuint)(outputRow + j * channels + k);
                            int topLeft = inputRow + 2 * j * channels + k;
                            Vector256<float> x = TImage.Load256(ref x0, (nuint)topLeft);
                            sum += x;
                            square += x * x;
                            Vector256<float> best = x * flip, chosen = x;
                            Vector256<int> at = Vector256<int>.Zero;
                            for (int position = 1; position < 4; position++)
                            {
                                Vector256<float> candidate = TImage.Load256(ref x0, (nuint)images.Element(topLeft, position));
                                sum += candidate;
                                square += candidate * candidate;
                                Choose(candidate, flip, position, ref best, ref chosen, ref at);
                            }
                            chosen.StoreUnsafe(ref selected0, output);
                            at.StoreUnsafe(ref index0, output);
                        }
                        if (width % 2 == 1)
                        {
                            for (int row = 0; row < 2; row++)
                            {
                                Vector256<float> x = TImage.Load256(ref x0, (nuint)(inputRow + row * images.RowStride + (width - 1) * channels + k));
                                sum += x;
                                square += x * x;
                            }
                        }
                        BatchStatistics.AddTo(sums.Slice(k), sum);
                        BatchStatistics.AddTo(squares.Slice(k), square);
                    }
                }
                for (; k < channels; k++)
                {
                    float sum = 0, square = 0;
                    for (int j = 0; j < images.OutWidth; j++)
                    {
                        int output = outputRow + j * channels + k, topLeft = inputRow + 2 * j * channels + k;
                        float chosen = TImage.Load(ref x0, (nuint)topLeft), best = chosen * sign[k];
                        int at = 0;
                        sum += chosen;
                        square += chosen * chosen;
                        for (int position = 1; position < 4; position++)
                        {
                            float candidate = TImage.Load(ref x0, (nuint)images.Element(topLeft, position)), value = candidate * sign[k];
                            sum += candidate;
                            square += candidate * candidate;
                            if (value > best || float.IsNaN(value)) { best = value; chosen = candidate; at = position; }
                        }
                        selected[output] = chosen;
                        index[output] = at;
                    }
                    if (width % 2 == 1)
                    {
                        for (int row = 0; row < 2; row++)
                        {
                            float x = TImage.Load(ref x0, (nuint)(inputRow + row * images.RowStride + (width - 1) * channels + k));
                            sum += x;
                            square += x * x;
                        }
                    }
                    sums[k] += sum;
                    squares[k] += square;
                }
            }
            if (height % 2 == 1)
                BatchStatistics.SumPixels<TImage>(ref x0, ((b * height + height - 1) * width) * channels, width * channels, channels, sums, squares);
        }
    }

    /// <summary>
    /// Σ dy and Σ dy·ŷ per channel over a batch's windows (<see cref="SumWindows{TImage}"/> per run of images, then added):
    /// γ's and β's gradients, and the means the batch norm's input gradient needs. <paramref name="selected"/> is the kept
    /// x per window [N, h, w, C], <paramref name="outputGradient"/> the node's gradient in the same contiguous NHWC order.
    /// </summary>
    internal static (double[] SumDy, double[] SumDyXhat) SumWindowGradients<TImage>(Tensor selected, Tensor outputGradient, int n, int outHeight, int outWidth,
        double[] mean, double[] invStd, TwoByTwoMaxPool.ChannelAffine mask) where TImage : struct, IImageElements
    {
        int channels = mean.Length, runs = TwoByTwoMaxPool.Runs(n);
        var sumDy = new double[runs * channels];
        var sumDyXhat = new double[runs * channels];
        float[] meanFloat = Array.ConvertAll(mean, v => (float)v), invStdFloat = Array.ConvertAll(invStd, v => (float)v);
        TwoByTwoMaxPool.ForEachImages(n, (run, first, last) => SumWindows<TImage>(MemoryMarshal.Cast<byte, float>(selected.bytes), outputGradient.bytes,
            first * outHeight, last * outHeight, outWidth, meanFloat, invStdFloat, mask, sumDy.AsSpan(run * channels, channels), sumDyXhat.AsSpan(run * channels, channels)));
        BatchStatistics.SumRuns(sumDy, runs, channels);
        BatchStatistics.SumRuns(sumDyXhat, runs, channels);
        return (sumDy, sumDyXhat);
    }

    /// <summary>
    /// The window rule of the batch norm + pool kernels: <paramref name="candidate"/>, the window's element at
    /// <paramref name="position"/>, becomes the chosen one where its value times sign(γ) (<paramref name="flip"/>) is greater
    /// than the best so far or NaN, as PyTorch's pool scans a window (ties keep the first, NaN wins).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Choose(Vector512<float> candidate, Vector512<float> flip, int position, ref Vector512<float> best, ref Vector512<float> chosen, ref Vector512<int> at)
    {
        Vector512<float> value = candidate * flip;
        Vector512<float> wins = Vector512.GreaterThan(value, best) | ~Vector512.Equals(value, value);
        best = Vector512.ConditionalSelect(wins, value, best);
        chosen = Vector512.ConditionalSelect(wins, candidate, chosen);
        at = Vector512.ConditionalSelect(wins.AsInt32(), Vector512.Create(position), at);
    }

    /// <summary><see cref="Choose(Vector512{float}, Vector512{float}, int, ref Vector512{float}, ref Vector512{float}, ref Vector512{int})"/> for 8 channels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Choose(Vector256<float> candidate, Vector256<float> flip, int position, ref Vector256<float> best, ref Vector256<float> chosen, ref Vector256<int> at)
    {
        Vector256<float> value = candidate * flip;
        Vector256<float> wins = Vector256.GreaterThan(value, best) | ~Vector256.Equals(value, value);
        best = Vector256.ConditionalSelect(wins, value, best);
        chosen = Vector256.ConditionalSelect(wins, candidate, chosen);
        at = Vector256.ConditionalSelect(wins.AsInt32(), Vector256.Create(position), at);
    }

    // Σ dy and Σ dy·ŷ over the windows' maxima (the only elements with a gradient), ŷ = (x − μ)·s from the x the forward
    // kept for each window: a pass over two pooled-size arrays [rows, width, C], each row's sums in float, then in double.
    // With a ReLU (`mask` given), dy is the output's gradient where x·scale + shift > 0, zero elsewhere.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumWindows<TImage>(ReadOnlySpan<float> selected, ReadOnlySpan<byte> gradient, int firstRow, int lastRow, int width, float[] mean, float[] invStd,
        TwoByTwoMaxPool.ChannelAffine mask, Span<double> sumDy, Span<double> sumDyXhat) where TImage : struct, IImageElements
    {
        bool rectified = mask.Scale is not null;
        ReadOnlySpan<float> scale = mask.Scale, shift = mask.Shift;
        int channels = mean.Length;
        if ((long)lastRow * width * channels > Math.Min(selected.Length, gradient.Length / TImage.Size))
            throw new InvalidOperationException($"MaxPooling2D: the 2×2 kernel got pooled buffers of {selected.Length} and {gradient.Length / TImage.Size} elements for {lastRow} rows of {width}×{channels}.");
        ref byte dy0 = ref MemoryMarshal.GetReference(gradient);
        for (int row = firstRow; row < lastRow; row++)
        {
            int start = row * width * channels;
            ReadOnlySpan<float> x = selected.Slice(start, width * channels);
            int k = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; k <= channels - Vector256<float>.Count; k += Vector256<float>.Count)
                {
                    Vector256<float> mu = Vector256.Create(mean.AsSpan(k)), s = Vector256.Create(invStd.AsSpan(k));
                    Vector256<float> a = rectified ? Vector256.Create(scale.Slice(k)) : default, b = rectified ? Vector256.Create(shift.Slice(k)) : default;
                    Vector256<float> dySum = Vector256<float>.Zero, dyXhatSum = Vector256<float>.Zero;
                    for (int p = k; p < x.Length; p += channels)
                    {
                        Vector256<float> value = Vector256.Create(x.Slice(p)), g = TImage.Load256(ref dy0, (nuint)(start + p));
                        if (rectified) g &= Vector256.GreaterThan(value * a + b, Vector256<float>.Zero);
                        dySum += g;
                        dyXhatSum += g * (value - mu) * s;
                    }
                    BatchStatistics.AddTo(sumDy.Slice(k), dySum);
                    BatchStatistics.AddTo(sumDyXhat.Slice(k), dyXhatSum);
                }
            }
            for (; k < channels; k++)
            {
                float dySum = 0, dyXhatSum = 0;
                for (int p = k; p < x.Length; p += channels)
                {
                    float g = !rectified || x[p] * scale[k] + shift[k] > 0 ? TImage.Load(ref dy0, (nuint)(start + p)) : 0f;
                    dySum += g;
                    dyXhatSum += g * (x[p] - mean[k]) * invStd[k];
                }
                sumDy[k] += dySum;
                sumDyXhat[k] += dyXhatSum;
            }
        }
    }

    // dx = gain·dy + offset + slope·x for every input element: per window, its four elements share the output's gradient
    // and index (dy is the gradient at the element the index names, zero at the others; with a ReLU, zero too where the
    // window's output was not positive), one row of windows per channel vector at a time (it fits the L1 cache) with the
    // vector's constants in registers, 16 channels per vector where WideVectors says so, then 8, then one by one (the same
    // loop at each width); an odd last row or column, which no window reaches, has dy = 0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientImages<TImage>(TwoByTwoMaxPool.Images images, int first, int last, ReadOnlySpan<byte> source, ReadOnlySpan<byte> gradient,
        ReadOnlySpan<int> index, ReadOnlySpan<float> selected, TwoByTwoMaxPool.ChannelAffine mask, float[] gain, float[] offset, float[] slope, Span<byte> target)
        where TImage : struct, IImageElements
    {
        (_, int channels, int height, int width) = images;
        images.Require(source.Length / TImage.Size, gradient.Length / TImage.Size, index.Length, target.Length / TImage.Size);
        images.Require(source.Length / TImage.Size, selected.Length, index.Length);
        bool rectified = mask.Scale is not null;
        // Unchecked loads and stores: Require checked every span's length against the images once, the offsets below stay
        // inside them (bounds checks on each vector were a measurable part of this loop).
        ref byte x0 = ref MemoryMarshal.GetReference(source), dy0 = ref MemoryMarshal.GetReference(gradient), dx0 = ref MemoryMarshal.GetReference(target);
        ref float selected0 = ref MemoryMarshal.GetReference(selected);
        ref int index0 = ref MemoryMarshal.GetReference(index);
        for (int b = first; b < last; b++)
        {
            for (int i = 0; i < images.OutHeight; i++)
            {
                int outputRow = images.OutputRow(b, i), inputRow = images.InputRow(b, i);
                int k = 0;
                if (WideVectors)
                {
                    for (; k <= channels - Vector512<float>.Count; k += Vector512<float>.Count)
                    {
                        Vector512<float> g = Vector512.Create(gain.AsSpan(k)), o = Vector512.Create(offset.AsSpan(k)), m = Vector512.Create(slope.AsSpan(k));
                        Vector512<float> a = rectified ? Vector512.Create(mask.Scale.AsSpan(k)) : default, c = rectified ? Vector512.Create(mask.Shift.AsSpan(k)) : default;
                        for (int j = 0; j < images.OutWidth; j++)
                        {
                            nuint output = (nuint)(outputRow + j * channels + k);
                            int topLeft = inputRow + 2 * j * channels + k;
                            Vector512<float> dy = TImage.Load512(ref dy0, output);
                            if (rectified) dy &= Vector512.GreaterThan(Vector512.LoadUnsafe(ref selected0, output) * a + c, Vector512<float>.Zero);
                            Vector512<float> scaled = g * dy;
                            Vector512<int> at = Vector512.LoadUnsafe(ref index0, output);
                            for (int position = 0; position < 4; position++)
                            {
                                nuint element = (nuint)images.Element(topLeft, position);
                                Vector512<float> routed = scaled & Vector512.Equals(at, Vector512.Create(position)).AsSingle();
                                TImage.Store512(o + m * TImage.Load512(ref x0, element) + routed, ref dx0, element);
                            }
                        }
                    }
                }
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; k <= channels - Vector256<float>.Count; k += Vector256<float>.Count)
                    {
                        Vector256<float> g = Vector256.Create(gain.AsSpan(k)), o = Vector256.Create(offset.AsSpan(k)), m = Vector256.Create(slope.AsSpan(k));
                        Vector256<float> a = rectified ? Vector256.Create(mask.Scale.AsSpan(k)) : default, c = rectified ? Vector256.Create(mask.Shift.AsSpan(k)) : default;
                        for (int j = 0; j < images.OutWidth; j++)
                        {
                            nuint output = (nuint)(outputRow + j * channels + k);
                            int topLeft = inputRow + 2 * j * channels + k;
                            Vector256<float> dy = TImage.Load256(ref dy0, output);
                            if (rectified) dy &= Vector256.GreaterThan(Vector256.LoadUnsafe(ref selected0, output) * a + c, Vector256<float>.Zero);
                            Vector256<float> scaled = g * dy;
                            Vector256<int> at = Vector256.LoadUnsafe(ref index0, output);
                            for (int position = 0; position < 4; position++)
                            {
                                nuint element = (nuint)images.Element(topLeft, position);
                                Vector256<float> routed = scaled & Vector256.Equals(at, Vector256.Create(position)).AsSingle();
                                TImage.Store256(o + m * TImage.Load256(ref x0, element) + routed, ref dx0, element);
                            }
                        }
                    }
                }
                for (; k < channels; k++)
                {
                    for (int j = 0; j < images.OutWidth; j++)
                    {
                        int output = outputRow + j * channels + k, topLeft = inputRow + 2 * j * channels + k;
                        for (int position = 0; position < 4; position++)
                        {
                            int element = images.Element(topLeft, position);
                            bool open = !rectified || selected[output] * mask.Scale![k] + mask.Shift![k] > 0;
                            float dy = index[output] == position && open ? TImage.Load(ref dy0, (nuint)output) : 0f;
                            TImage.Store(offset[k] + slope[k] * TImage.Load(ref x0, (nuint)element) + gain[k] * dy, ref dx0, (nuint)element);
                        }
                    }
                }
                if (width % 2 == 1) Unreached<TImage>(ref x0, ref dx0, inputRow + (width - 1) * channels, images.RowStride, 2, offset, slope);
            }
            if (height % 2 == 1) Unreached<TImage>(ref x0, ref dx0, ((b * height + height - 1) * width) * channels, 0, 1, offset, slope, width * channels);
        }
    }

    // dx = offset + slope·x over `count` runs of `length` elements (one pixel's channels unless given) `stride` apart.
    private static void Unreached<TImage>(ref byte source, ref byte target, int start, int stride, int count, float[] offset, float[] slope, int length = 0)
        where TImage : struct, IImageElements
    {
        int channels = offset.Length;
        if (length == 0) length = channels;
        for (int run = 0; run < count; run++)
            for (int e = 0; e < length; e++)
            {
                int element = start + run * stride + e;
                TImage.Store(offset[e % channels] + slope[e % channels] * TImage.Load(ref source, (nuint)element), ref target, (nuint)element);
            }
    }
}
