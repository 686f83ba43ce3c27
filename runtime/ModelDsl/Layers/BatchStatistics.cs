using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// A training batch's mean and biased variance per channel of a channels-last image [N, C, H, W], and the batch
/// norm arithmetic a kernel that fuses the next layer needs (<see cref="BatchNormMaxPool"/>): the normalization as a
/// per-channel map, the input gradient's per-channel constants, and the differentiable recomputation for second
/// derivatives. Formulas: Ioffe and Szegedy 2015, Algorithm 1 (forward) and PyTorch's <c>batch_norm_backward</c>.
/// </summary>
internal sealed class BatchStatistics(int channels)
{
    /// <summary>μ per channel.</summary>
    public double[] Mean { get; } = new double[channels];

    /// <summary>The biased variance σ² per channel (over N·H·W values).</summary>
    public double[] Variance { get; } = new double[channels];

    /// <summary>
    /// Fills <see cref="Mean"/> and <see cref="Variance"/> from Σx and Σx² per channel over <paramref name="count"/>
    /// values (<paramref name="runs"/> blocks of partial sums, added into the first): σ² = E[x²] − μ², the biased variance.
    /// </summary>
    public void FromSums(double[] sums, double[] squares, int runs, double count)
    {
        SumRuns(sums, runs, channels);
        SumRuns(squares, runs, channels);
        for (int c = 0; c < channels; c++)
        {
            Mean[c] = sums[c] / count;
            Variance[c] = Math.Max(squares[c] / count - Mean[c] * Mean[c], 0);
        }
    }

    /// <summary>
    /// s = 1/√(σ² + ε) per channel, and the normalization y = (x − μ)·s·γ + β as the map x·scale + shift.
    /// </summary>
    public (double[] InvStd, TwoByTwoMaxPool.ChannelAffine Map) Normalization(float[] gamma, float[] beta, double eps)
    {
        var invStd = new double[channels];
        var scale = new float[channels];
        var shift = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            invStd[c] = 1 / Math.Sqrt(Variance[c] + eps);
            scale[c] = (float)(gamma[c] * invStd[c]);
            shift[c] = (float)(beta[c] - Mean[c] * gamma[c] * invStd[c]);
        }
        return (invStd, new TwoByTwoMaxPool.ChannelAffine(scale, shift));
    }

    /// <summary>γ's values, or ones without affine.</summary>
    public static float[] Gamma(Tensor? weight, int channels)
    {
        if (weight is not null) return weight.data<float>().ToArray();
        var ones = new float[channels];
        Array.Fill(ones, 1f);
        return ones;
    }

    /// <summary>β's values, or zeros without affine.</summary>
    public static float[] Beta(Tensor? bias, int channels) => bias is null ? new float[channels] : bias.data<float>().ToArray();

    /// <summary>
    /// The input gradient dx = γs·(dy − mean(dy) − ŷ·mean(dy·ŷ)), ŷ = (x − μ)·s, as dx = gain·dy + offset + slope·x per
    /// channel: slope = −γs²·mean(dy·ŷ), offset = −γs·mean(dy) − slope·μ. The sums are over the <paramref name="count"/>
    /// (N·H·W) elements of each channel.
    /// </summary>
    public static (float[] Gain, float[] Offset, float[] Slope) InputGradient(float[] gamma, double[] mean, double[] invStd, double[] sumDy, double[] sumDyXhat, double count)
    {
        int channels = gamma.Length;
        var gain = new float[channels];
        var offset = new float[channels];
        var slope = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double gs = gamma[c] * invStd[c];
            double k1 = -gs * invStd[c] * sumDyXhat[c] / count;
            gain[c] = (float)gs;
            slope[c] = (float)k1;
            offset[c] = (float)(-gs * sumDy[c] / count - k1 * mean[c]);
        }
        return (gain, offset, slope);
    }

    /// <summary>Adds the per-run partial sums (<paramref name="runs"/> blocks of <paramref name="channels"/>) into the first block.</summary>
    public static void SumRuns(double[] partials, int runs, int channels)
    {
        for (int run = 1; run < runs; run++)
            for (int c = 0; c < channels; c++) partials[c] += partials[run * channels + c];
    }

    /// <summary>The first <paramref name="channels"/> sums as a float32 tensor [C] (γ's and β's gradients).</summary>
    /// <remarks>
    /// Copied into libtorch's own memory rather than built with <c>torch.tensor(float[])</c>, which pins the array and
    /// hands libtorch a delegate to unpin it: both live until the .NET garbage collector runs, and a training loop that
    /// allocates little managed memory runs hundreds of steps between collections.
    /// </remarks>
    public static Tensor Floats(double[] sums, int channels)
    {
        var values = new float[channels];
        for (int c = 0; c < channels; c++) values[c] = (float)sums[c];
        Tensor result = empty(channels, ScalarType.Float32);
        result.bytes = MemoryMarshal.AsBytes(values.AsSpan());
        return result;
    }

    /// <summary>Adds a vector of float partial sums to eight double sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(Span<double> total, Vector256<float> part)
    {
        (Vector256<double> low, Vector256<double> high) = Vector256.Widen(part);
        (Vector256.Create((ReadOnlySpan<double>)total) + low).CopyTo(total);
        (Vector256.Create((ReadOnlySpan<double>)total.Slice(Vector256<double>.Count)) + high).CopyTo(total.Slice(Vector256<double>.Count));
    }

    /// <summary>
    /// The batch norm and the layer after it (<paramref name="after"/>) again as tensor operations from the saved input,
    /// γ and β, differentiated with the graph kept so that a second derivative can flow (<c>create_graph</c>). Returns the
    /// gradients of the input, γ and β, in that order, null where a tensor is absent or needs none.
    /// </summary>
    public static List<Tensor> Recomputed(Tensor input, Tensor? weight, Tensor? bias, Tensor gradient, double eps, Func<Tensor, Tensor> after)
    {
        long[] perChannel = { 1, input.shape[1], 1, 1 };
        using var scope = NewDisposeScope();
        // A bfloat16 image (autocast's) is recomputed in float32, as the kernel computed it; its gradient comes back in bfloat16.
        Tensor image = input.dtype == ScalarType.Float32 ? input : input.to(ScalarType.Float32);
        Tensor mean = image.mean(new long[] { 0, 2, 3 }, keepdim: true);
        Tensor centered = image - mean;
        Tensor normalized = centered * (centered.square().mean(new long[] { 0, 2, 3 }, keepdim: true) + eps).rsqrt();
        if (weight is not null) normalized = normalized * weight.view(perChannel);
        if (bias is not null) normalized = normalized + bias.view(perChannel);
        Tensor output = after(normalized);
        var inputs = new[] { input, weight, bias };
        var wanted = Array.FindAll(inputs, t => t is { requires_grad: true });
        var gradients = autograd.grad(new[] { output }, wanted!, new[] { gradient }, retain_graph: true, create_graph: true);
        var result = new List<Tensor>();
        int next = 0;
        foreach (Tensor? t in inputs) result.Add(t is { requires_grad: true } ? gradients[next++].MoveToOuterDisposeScope() : null!);
        return result;
    }

    /// <summary>
    /// Adds Σx and Σx² per channel of a row of channels-last pixels [W, C] (<paramref name="length"/> = W·C elements from
    /// element <paramref name="start"/> of the image at <paramref name="origin"/>, whose length the caller checked) to the
    /// double sums: the row is read once per channel vector (it fits the L1 cache) with the two sums in registers, in
    /// float (at most W terms).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SumPixels<TImage>(ref byte origin, int start, int length, int channels, Span<double> sums, Span<double> squares)
        where TImage : struct, IImageElements
    {
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k <= channels - Vector256<float>.Count; k += Vector256<float>.Count)
            {
                Vector256<float> sum = Vector256<float>.Zero, square = Vector256<float>.Zero;
                for (int p = k; p < length; p += channels)
                {
                    Vector256<float> x = TImage.Load256(ref origin, (nuint)(start + p));
                    sum += x;
                    square += x * x;
                }
                AddTo(sums.Slice(k), sum);
                AddTo(squares.Slice(k), square);
            }
        }
        for (; k < channels; k++)
        {
            float sum = 0, square = 0;
            for (int p = k; p < length; p += channels)
            {
                float x = TImage.Load(ref origin, (nuint)(start + p));
                sum += x;
                square += x * x;
            }
            sums[k] += sum;
            squares[k] += square;
        }
    }

    /// <summary>
    /// target = source·scale + shift per channel over channels-last pixels [P, C] (the pooled output from the windows' x),
    /// then max(0, ·) with <paramref name="rectify"/> (NaN stays NaN, as ReLU's), stored as <typeparamref name="TImage"/>
    /// elements (rounded once where those are bfloat16).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply<TImage>(TwoByTwoMaxPool.ChannelAffine map, ReadOnlySpan<float> source, Span<byte> target, bool rectify)
        where TImage : struct, IImageElements
    {
        float[] scale = map.Scale!, shift = map.Shift!;
        int channels = scale.Length;
        if (target.Length / TImage.Size < source.Length)
            throw new InvalidOperationException($"BatchNormalization: {source.Length} pooled values for a buffer of {target.Length / TImage.Size} elements.");
        ref byte y0 = ref MemoryMarshal.GetReference(target);
        for (int start = 0; start < source.Length; start += channels)
        {
            ReadOnlySpan<float> x = source.Slice(start, channels);
            int k = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; k <= channels - Vector256<float>.Count; k += Vector256<float>.Count)
                {
                    Vector256<float> v = Vector256.Create(x.Slice(k)) * Vector256.Create(scale.AsSpan(k)) + Vector256.Create(shift.AsSpan(k));
                    if (rectify) v &= ~Vector256.LessThanOrEqual(v, Vector256<float>.Zero);
                    TImage.Store256(v, ref y0, (nuint)(start + k));
                }
            }
            for (; k < channels; k++)
            {
                float v = x[k] * scale[k] + shift[k];
                TImage.Store(rectify && v <= 0 ? 0f : v, ref y0, (nuint)(start + k));
            }
        }
    }
}
