using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// A training batch norm followed by a 2×2 max pool at stride 2, of a float32 channels-last image [N, C, H, W] on the CPU,
/// as one autograd node (<see cref="MaxPooling2D.ForwardAfter"/>): y = (x − μ)/√(σ² + ε)·γ + β with the batch's mean μ
/// and biased variance σ² per channel (Ioffe and Szegedy 2015, Algorithm 1; PyTorch's <c>batch_norm</c> in training),
/// then the maximum of each window, → [N, C, ⌊H/2⌋, ⌊W/2⌋] channels-last. The normalized image is never written: the
/// forward reads x twice (the statistics, then normalize-and-pool), the backward twice (two sums per channel, then the
/// input's gradient), where the two layers apart also write the normalized image and read it back, and zero-fill,
/// scatter into and read back the pool's input gradient.
/// </summary>
/// <remarks>
/// <para>Written by hand because libtorch has no fused batch norm for training on the CPU. The backward is the batch
/// norm's (PyTorch's <c>batch_norm_backward</c>): with ŷ = (x − μ)·s, s = 1/√(σ² + ε) and dy the pool's gradient (each
/// window's output gradient at its maximum, zero elsewhere), dx = γs·(dy − mean(dy) − ŷ·mean(dy·ŷ)), dγ = Σ dy·ŷ,
/// dβ = Σ dy, the means and sums over N·H·W per channel, accumulated in double.</para>
/// <para>The statistics are summed in one pass in double (σ² = E[x²] − μ²), so they differ from libtorch's float ones in
/// the last bits; a window whose normalized values tie within that rounding may then send its gradient to another
/// element than the unfused layers would. While gradients of the backward are recorded (<c>create_graph</c>) the
/// backward recomputes the two layers with tensor operations and differentiates them, so second derivatives flow.</para>
/// </remarks>
internal sealed class BatchNormMaxPool : autograd.SingleTensorFunction<BatchNormMaxPool>
{
    public override string Name => "BatchNormalization+MaxPooling2D";

    /// <summary>
    /// Inputs: the image (see <see cref="TwoByTwoMaxPool.Handles"/>), γ and β ([C] float32, or null without affine), ε, and
    /// the <see cref="BatchStatistics"/> to fill. Output: the pooled image, channels-last.
    /// </summary>
    public override Tensor forward(autograd.AutogradContext ctx, params object?[] vars)
    {
        var input = (Tensor)vars[0]!;
        var weight = vars[1] as Tensor;
        var bias = vars[2] as Tensor;
        double eps = (double)vars[3]!;
        var statistics = (BatchStatistics)vars[4]!;
        long[] shape = input.shape;
        statistics.Collect(input);
        float[] gamma = BatchStatistics.Gamma(weight, (int)shape[1]);
        (double[] invStd, TwoByTwoMaxPool.ChannelAffine map) = statistics.Normalization(gamma, BatchStatistics.Beta(bias, (int)shape[1]), eps);
        Tensor windowIndex = empty(new[] { shape[0], shape[2] / 2, shape[3] / 2, shape[1] }, ScalarType.Int32);
        ctx.save_for_backward(weight is not null && bias is not null ? new() { input, windowIndex, weight, bias } : new() { input, windowIndex });
        ctx.save_data("gamma", gamma);
        ctx.save_data("mean", statistics.Mean);
        ctx.save_data("invStd", invStd);
        ctx.save_data("eps", eps);
        ctx.save_data("affine", weight is not null && bias is not null);
        return TwoByTwoMaxPool.Pool(input, windowIndex, map);
    }

    /// <summary>The image's gradient (channels-last), then γ's and β's (null without affine), none for ε and the statistics.</summary>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        List<Tensor> saved = ctx.get_saved_variables();
        Tensor input = saved[0], windowIndex = saved[1];
        long[] shape = input.shape;
        bool affine = (bool)ctx.get_data("affine");
        if (is_grad_enabled())
        {
            List<Tensor> gradients = BatchStatistics.Recomputed(input, affine ? saved[2] : null, affine ? saved[3] : null, grad_output,
                (double)ctx.get_data("eps"), normalized => nn.functional.max_pool2d(normalized, new long[] { 2, 2 }, new long[] { 2, 2 }));
            gradients.AddRange(new Tensor[] { null!, null! });   // ε and the statistics
            return gradients;
        }
        var gamma = (float[])ctx.get_data("gamma");
        var mean = (double[])ctx.get_data("mean");
        var invStd = (double[])ctx.get_data("invStd");
        int n = (int)shape[0], channels = (int)shape[1], height = (int)shape[2], width = (int)shape[3];
        var images = new TwoByTwoMaxPool.Images(n, channels, height, width);
        double count = (double)n * height * width;

        using Tensor permuted = grad_output.permute(0, 2, 3, 1);
        using Tensor outputGradient = permuted.contiguous();   // itself (a new handle) when the gradient is channels-last
        using Tensor image = input.permute(0, 2, 3, 1);

        // Σ dy and Σ dy·ŷ per channel: dy is non-zero only at each window's maximum.
        int runs = TwoByTwoMaxPool.Runs(n);
        var sumDy = new double[runs * channels];
        var sumDyXhat = new double[runs * channels];
        float[] meanFloat = Array.ConvertAll(mean, v => (float)v), invStdFloat = Array.ConvertAll(invStd, v => (float)v);
        TwoByTwoMaxPool.ForEachImages(n, (run, first, last) => SumImages(images, first, last,
            MemoryMarshal.Cast<byte, float>(image.bytes), MemoryMarshal.Cast<byte, float>(outputGradient.bytes), MemoryMarshal.Cast<byte, int>(windowIndex.bytes),
            meanFloat, invStdFloat, sumDy.AsSpan(run * channels, channels), sumDyXhat.AsSpan(run * channels, channels)));
        BatchStatistics.SumRuns(sumDy, runs, channels);
        BatchStatistics.SumRuns(sumDyXhat, runs, channels);
        (float[] gain, float[] offset, float[] slope) = BatchStatistics.InputGradient(gamma, mean, invStd, sumDy, sumDyXhat, count);
        Tensor inputGradient = TwoByTwoMaxPool.EmptyChannelsLast(n, channels, height, width);
        using (Tensor target = inputGradient.permute(0, 2, 3, 1))
        {
            TwoByTwoMaxPool.ForEachImages(n, (_, first, last) => GradientImages(images, first, last,
                MemoryMarshal.Cast<byte, float>(image.bytes), MemoryMarshal.Cast<byte, float>(outputGradient.bytes), MemoryMarshal.Cast<byte, int>(windowIndex.bytes),
                gain, offset, slope, MemoryMarshal.Cast<byte, float>(target.bytes)));
        }
        return affine
            ? new() { inputGradient, BatchStatistics.Floats(sumDyXhat, channels), BatchStatistics.Floats(sumDy, channels), null!, null! }
            : new() { inputGradient, null!, null!, null!, null! };
    }

    // Σ dy and Σ dy·ŷ over each window's maximum (the only element with a gradient): ŷ = (x − μ)·s of the element the
    // window index names, picked from the window's four channel vectors. A row of windows (two rows of pixels) fits the L1
    // cache, so it is read once per channel vector with the sums in registers, in float, then added to double sums.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumImages(TwoByTwoMaxPool.Images images, int first, int last, ReadOnlySpan<float> source, ReadOnlySpan<float> gradient,
        ReadOnlySpan<int> index, float[] mean, float[] invStd, Span<double> sumDy, Span<double> sumDyXhat)
    {
        int channels = images.Channels;
        for (int b = first; b < last; b++)
        for (int i = 0; i < images.OutHeight; i++)
        {
            int outputRow = images.OutputRow(b, i), inputRow = images.InputRow(b, i);
            int k = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; k <= channels - Vector256<float>.Count; k += Vector256<float>.Count)
                {
                    Vector256<float> mu = Vector256.Create(mean.AsSpan(k)), s = Vector256.Create(invStd.AsSpan(k));
                    Vector256<float> dySum = Vector256<float>.Zero, dyXhatSum = Vector256<float>.Zero;
                    for (int j = 0; j < images.OutWidth; j++)
                    {
                        int output = outputRow + j * channels + k, topLeft = inputRow + 2 * j * channels + k;
                        Vector256<int> at = Vector256.Create(index.Slice(output));
                        Vector256<float> x = Vector256.Create(source.Slice(topLeft));
                        for (int position = 1; position < 4; position++)
                        {
                            Vector256<float> taken = Vector256.Equals(at, Vector256.Create(position)).AsSingle();
                            x = Vector256.ConditionalSelect(taken, Vector256.Create(source.Slice(images.Element(topLeft, position))), x);
                        }
                        Vector256<float> dy = Vector256.Create(gradient.Slice(output));
                        dySum += dy;
                        dyXhatSum += dy * (x - mu) * s;
                    }
                    BatchStatistics.AddTo(sumDy.Slice(k), dySum);
                    BatchStatistics.AddTo(sumDyXhat.Slice(k), dyXhatSum);
                }
            }
            for (; k < channels; k++)
            {
                float dySum = 0, dyXhatSum = 0;
                for (int j = 0; j < images.OutWidth; j++)
                {
                    int output = outputRow + j * channels + k;
                    float x = source[images.Element(inputRow + 2 * j * channels + k, index[output])];
                    dySum += gradient[output];
                    dyXhatSum += gradient[output] * (x - mean[k]) * invStd[k];
                }
                sumDy[k] += dySum;
                sumDyXhat[k] += dyXhatSum;
            }
        }
    }

    // dx = gain·dy + offset + slope·x for every input element: per window, its four elements share the output's gradient
    // and index (dy is the gradient at the element the index names, zero at the others), one row of windows per channel
    // vector at a time (it fits the L1 cache) with the vector's constants in registers; an odd last row or column, which
    // no window reaches, has dy = 0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientImages(TwoByTwoMaxPool.Images images, int first, int last, ReadOnlySpan<float> source, ReadOnlySpan<float> gradient,
        ReadOnlySpan<int> index, float[] gain, float[] offset, float[] slope, Span<float> target)
    {
        (_, int channels, int height, int width) = images;
        for (int b = first; b < last; b++)
        {
            for (int i = 0; i < images.OutHeight; i++)
            {
                int outputRow = images.OutputRow(b, i), inputRow = images.InputRow(b, i);
                int k = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; k <= channels - Vector256<float>.Count; k += Vector256<float>.Count)
                    {
                        Vector256<float> g = Vector256.Create(gain.AsSpan(k)), o = Vector256.Create(offset.AsSpan(k)), m = Vector256.Create(slope.AsSpan(k));
                        for (int j = 0; j < images.OutWidth; j++)
                        {
                            int output = outputRow + j * channels + k, topLeft = inputRow + 2 * j * channels + k;
                            Vector256<float> scaled = g * Vector256.Create(gradient.Slice(output));
                            Vector256<int> at = Vector256.Create(index.Slice(output));
                            for (int position = 0; position < 4; position++)
                            {
                                int element = images.Element(topLeft, position);
                                Vector256<float> routed = scaled & Vector256.Equals(at, Vector256.Create(position)).AsSingle();
                                (o + m * Vector256.Create(source.Slice(element)) + routed).CopyTo(target.Slice(element));
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
                            float dy = index[output] == position ? gradient[output] : 0f;
                            target[element] = offset[k] + slope[k] * source[element] + gain[k] * dy;
                        }
                    }
                }
                if (width % 2 == 1) Unreached(source, target, inputRow + (width - 1) * channels, images.RowStride, 2, offset, slope);
            }
            if (height % 2 == 1) Unreached(source, target, ((b * height + height - 1) * width) * channels, 0, 1, offset, slope, width * channels);
        }
    }

    // dx = offset + slope·x over `count` runs of `length` elements (one pixel's channels unless given) `stride` apart.
    private static void Unreached(ReadOnlySpan<float> source, Span<float> target, int start, int stride, int count, float[] offset, float[] slope, int length = 0)
    {
        int channels = offset.Length;
        if (length == 0) length = channels;
        for (int run = 0; run < count; run++)
            for (int e = 0; e < length; e++)
            {
                int element = start + run * stride + e;
                target[element] = offset[e % channels] + slope[e % channels] * source[element];
            }
    }
}
