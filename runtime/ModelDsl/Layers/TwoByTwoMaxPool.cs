using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Max pooling of a channels-last float32 or bfloat16 image [N, C, H, W] on the CPU over 2×2 windows at stride 2 without padding →
/// [N, C, ⌊H/2⌋, ⌊W/2⌋], channels-last: PyTorch's <c>nn.MaxPool2d(2)</c>, the same values and the same gradients (each
/// output's gradient goes to its window's first maximum in row-major order, or to its last NaN, which the output then
/// is), as one autograd node. <see cref="MaxPooling2D"/> uses it where it applies (<see cref="MaxPooling2D.TwoByTwoKernel"/>).
/// </summary>
/// <remarks>
/// Written by hand because libtorch's channels-last pooling kernel is general (any window, stride, padding and dilation):
/// it keeps a running maximum and index in memory per window element, stores 64-bit indices, and its backward fills the
/// whole input gradient with zeros before scattering into it. Here the forward reads each window's four channel vectors
/// once and writes the maximum with a 32-bit window position (0–3), and the backward writes every input-gradient element
/// once. Measured at one thread on an AVX-512 Xeon, forward + backward of [64, 32, 28, 28]: 1.27–1.42 ms in libtorch, 0.73–0.82 ms
/// here (docs/speed.md). Memory-bound, so 256-bit vectors suffice. Second derivatives: while gradients of the backward are
/// recorded (<c>create_graph</c>), it is computed with differentiable tensor operations instead.
/// </remarks>
internal sealed class TwoByTwoMaxPool : autograd.SingleTensorFunction<TwoByTwoMaxPool>
{
    public override string Name => nameof(MaxPooling2D);

    /// <summary>
    /// Whether the kernel handles <paramref name="x"/>: a float32 or bfloat16 (what a convolution hands over under
    /// autocast) channels-last [N, C, H, W] on the CPU with H, W ≥ 2 and fewer than 2³¹ bytes (what a span can address).
    /// </summary>
    public static bool Handles(Tensor x)
        => (x.dtype == ScalarType.Float32 || x.dtype == ScalarType.BFloat16) && x.device_type == TorchSharp.DeviceType.CPU && ChannelsLast.IsChannelsLast(x)
           && x.shape[2] >= 2 && x.shape[3] >= 2 && x.numel() <= int.MaxValue / sizeof(float);

    /// <summary>The pooled image alone, for a forward that records no gradient.</summary>
    public static Tensor Values(Tensor x) => Pool(x, windowIndex: null, default);

    /// <summary>Input: the image (see <see cref="Handles"/>). Output: the pooled image, channels-last.</summary>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        long[] shape = input.shape;
        Tensor windowIndex = empty(new[] { shape[0], shape[2] / 2, shape[3] / 2, shape[1] }, ScalarType.Int32);
        ctx.save_for_backward(new() { windowIndex });
        ctx.save_data(nameof(input), shape);
        return Pool(input, windowIndex, default);
    }

    /// <summary>The image's gradient [N, C, H, W], channels-last; zero where no window reached (an odd last row or column).</summary>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        Tensor windowIndex = ctx.get_saved_variables()[0];
        var shape = (long[])ctx.get_data("input");
        // The gradient arrives channels-last unless a later layer changed its layout (a copy then; Of returns it as it is).
        Tensor gradient = ChannelsLast.Of(grad_output);
        try
        {
            return new() { is_grad_enabled() || gradient.dtype != ScalarType.Float32 && gradient.dtype != ScalarType.BFloat16
                ? DifferentiableBackward(gradient, windowIndex, shape) : Unpool(gradient, windowIndex, shape) };
        }
        finally
        {
            if (!ReferenceEquals(gradient, grad_output)) gradient.Dispose();
        }
    }

    /// <summary>
    /// Pools <paramref name="x"/> (see <see cref="Handles"/>), each element first mapped to x·scale + shift for its channel
    /// when an affine map is given (a batch norm's), and stores each window's position of the maximum in
    /// <paramref name="windowIndex"/> ([N, H/2, W/2, C] int32) when one is given. The output has the input's type; a
    /// bfloat16 image is compared in float32 (exact) and, where the map applies, rounded once, after it.
    /// </summary>
    internal static Tensor Pool(Tensor x, Tensor? windowIndex, ChannelAffine affine)
    {
        long[] shape = x.shape;
        int n = (int)shape[0], channels = (int)shape[1], height = (int)shape[2], width = (int)shape[3];
        Tensor pooled = EmptyChannelsLast(n, channels, height / 2, width / 2, x.dtype);
        bool bfloat16 = x.dtype == ScalarType.BFloat16;
        using (Tensor image = x.permute(0, 2, 3, 1))
        using (Tensor pooledImage = pooled.permute(0, 2, 3, 1))
        {
            var images = new Images(n, channels, height, width);
            ForEachImages(n, (_, first, last) =>
            {
                Span<int> index = windowIndex is null ? default : MemoryMarshal.Cast<byte, int>(windowIndex.bytes);
                if (bfloat16) PoolImages<BFloat16Elements>(images, first, last, image.bytes, pooledImage.bytes, index, affine);
                else PoolImages<Float32Elements>(images, first, last, image.bytes, pooledImage.bytes, index, affine);
            });
        }
        return pooled;
    }

    // A channels-last [N, C, H, W] that is no view: an in-place layer after the pool (ReLU) may then modify it, which
    // autograd forbids on a view created inside a custom function. Its NHWC permutation is contiguous, so spans can reach it.
    internal static Tensor EmptyChannelsLast(long n, long channels, long height, long width, ScalarType dtype = ScalarType.Float32)
        => empty_strided(new[] { n, channels, height, width }, new[] { height * width * channels, 1, width * channels, channels }, dtype);

    /// <summary>
    /// The input's NHWC sizes; the output's are half the height and width, rounded down. Offsets are in elements of the
    /// contiguous NHWC buffers: the first element of an input row, of an output row, and of a window's position 0–3.
    /// </summary>
    internal readonly record struct Images(int Count, int Channels, int Height, int Width)
    {
        public int OutHeight => Height / 2;

        public int OutWidth => Width / 2;

        /// <summary>Elements from one input row to the next.</summary>
        public int RowStride => Width * Channels;

        /// <summary>Image b's input row 2i, the top row of output row i's windows.</summary>
        public int InputRow(int b, int i) => (b * Height + 2 * i) * RowStride;

        /// <summary>Image b's output row i.</summary>
        public int OutputRow(int b, int i) => (b * OutHeight + i) * OutWidth * Channels;

        /// <summary>A window's element at position 0–3 (row-major), from the window's top-left element.</summary>
        public int Element(int topLeft, int position) => topLeft + (position >> 1) * RowStride + (position & 1) * Channels;

        /// <summary>
        /// Checks once that the buffers, given by their lengths in elements, hold the whole batch (an image, the pooled
        /// output's values or gradient, the window positions, and an image again where given), so the kernels may load
        /// and store without a check per vector.
        /// </summary>
        public void Require(int image, int pooled, int index, int otherImage = 0)
        {
            long imageLength = (long)Count * Height * Width * Channels, pooledLength = (long)Count * OutHeight * OutWidth * Channels;
            if (image < imageLength || pooled < pooledLength || index < pooledLength || (otherImage != 0 && otherImage < imageLength))
                throw new InvalidOperationException(
                    $"MaxPooling2D: the 2×2 kernel got buffers of {image}, {pooled}, {index} and {otherImage} elements for {Count} images of {Channels}×{Height}×{Width}.");
        }
    }

    /// <summary>A map x·Scale[c] + Shift[c] per channel, or none (default: both null).</summary>
    internal readonly record struct ChannelAffine(float[]? Scale, float[]? Shift);

    // Fully optimized from the first call: a training run calls this a few times per step, so tiered compilation would
    // run the first dozens of steps unoptimized (slower than libtorch).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PoolImages<TImage>(Images images, int first, int last, ReadOnlySpan<byte> source, Span<byte> target, Span<int> index, ChannelAffine affine)
        where TImage : struct, IImageElements
    {
        images.Require(source.Length / TImage.Size, target.Length / TImage.Size, index.IsEmpty ? int.MaxValue : index.Length);
        int channels = images.Channels;
        ref byte x0 = ref MemoryMarshal.GetReference(source), y0 = ref MemoryMarshal.GetReference(target);
        for (int b = first; b < last; b++)
        for (int i = 0; i < images.OutHeight; i++)
        for (int j = 0; j < images.OutWidth; j++)
        {
            int topLeft = images.InputRow(b, i) + 2 * j * channels, output = images.OutputRow(b, i) + j * channels;
            PoolWindow<TImage>(ref x0, topLeft, images.RowStride, channels, ref y0, output,
                               index.IsEmpty ? default : index.Slice(output, channels), affine.Scale, affine.Shift);
        }
    }

    // One window's four channel vectors: top-left, top-right, bottom-left, bottom-right, the order PyTorch scans. A later
    // element wins when it is greater or NaN (PyTorch's `val > max || isnan(val)`), so ties keep the first and the last
    // NaN wins. The window positions are stored only when an index span is given; the affine map applies when given.
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void PoolWindow<TImage>(ref byte source, int topLeft, int rowStride, int channels, ref byte target, int output, Span<int> index,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> shift) where TImage : struct, IImageElements
    {
        nuint a = (nuint)topLeft, b = (nuint)(topLeft + channels), c = (nuint)(topLeft + rowStride), d = (nuint)(topLeft + rowStride + channels);
        bool keepIndex = !index.IsEmpty, mapped = !scale.IsEmpty;
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k <= channels - Vector256<float>.Count; k += Vector256<float>.Count)
            {
                nuint e = (nuint)k;
                Vector256<float> va = TImage.Load256(ref source, a + e), vb = TImage.Load256(ref source, b + e);
                Vector256<float> vc = TImage.Load256(ref source, c + e), vd = TImage.Load256(ref source, d + e);
                if (mapped)
                {
                    Vector256<float> s = Vector256.Create(scale.Slice(k)), t = Vector256.Create(shift.Slice(k));
                    (va, vb, vc, vd) = (va * s + t, vb * s + t, vc * s + t, vd * s + t);
                }
                Vector256<float> max = va;
                Vector256<int> at = Vector256<int>.Zero;
                Take(vb, Vector256.Create(1), ref max, ref at);
                Take(vc, Vector256.Create(2), ref max, ref at);
                Take(vd, Vector256.Create(3), ref max, ref at);
                TImage.Store256(max, ref target, (nuint)(output + k));
                if (keepIndex) at.CopyTo(index.Slice(k));
            }
        }
        for (; k < channels; k++)
        {
            nuint e = (nuint)k;
            float s = mapped ? scale[k] : 1f, t = mapped ? shift[k] : 0f;
            float va = TImage.Load(ref source, a + e), vb = TImage.Load(ref source, b + e), vc = TImage.Load(ref source, c + e), vd = TImage.Load(ref source, d + e);
            if (mapped) (va, vb, vc, vd) = (va * s + t, vb * s + t, vc * s + t, vd * s + t);
            float max = va;
            int at = 0;
            if (vb > max || float.IsNaN(vb)) { max = vb; at = 1; }
            if (vc > max || float.IsNaN(vc)) { max = vc; at = 2; }
            if (vd > max || float.IsNaN(vd)) { max = vd; at = 3; }
            TImage.Store(max, ref target, (nuint)(output + k));
            if (keepIndex) index[k] = at;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(Vector256<float> value, Vector256<int> position, ref Vector256<float> max, ref Vector256<int> at)
    {
        Vector256<float> wins = Vector256.GreaterThan(value, max) | ~Vector256.Equals(value, value);
        max = Vector256.ConditionalSelect(wins, value, max);
        at = Vector256.ConditionalSelect(wins.AsInt32(), position, at);
    }

    // Each window element gets its output's gradient where the window's maximum came from it and zero elsewhere: every
    // element is written once, no fill first. Rows and columns no window reached start as zeros.
    private static Tensor Unpool(Tensor gradient, Tensor windowIndex, long[] shape)
    {
        int n = (int)shape[0], channels = (int)shape[1], height = (int)shape[2], width = (int)shape[3];
        Tensor inputGradient = EmptyChannelsLast(n, channels, height, width, gradient.dtype);
        if (height % 2 != 0 || width % 2 != 0) inputGradient.zero_();
        bool bfloat16 = gradient.dtype == ScalarType.BFloat16;
        using (Tensor permuted = gradient.permute(0, 2, 3, 1))
        using (Tensor outputGradient = permuted.contiguous())   // itself (a new handle) unless strided some other way
        using (Tensor inputImage = inputGradient.permute(0, 2, 3, 1))
        {
            var images = new Images(n, channels, height, width);
            ForEachImages(n, (_, first, last) =>
            {
                ReadOnlySpan<int> index = MemoryMarshal.Cast<byte, int>(windowIndex.bytes);
                if (bfloat16) UnpoolImages<BFloat16Elements>(images, first, last, outputGradient.bytes, index, inputImage.bytes);
                else UnpoolImages<Float32Elements>(images, first, last, outputGradient.bytes, index, inputImage.bytes);
            });
        }
        return inputGradient;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UnpoolImages<TImage>(Images images, int first, int last, ReadOnlySpan<byte> gradient, ReadOnlySpan<int> index, Span<byte> target)
        where TImage : struct, IImageElements
    {
        images.Require(target.Length / TImage.Size, gradient.Length / TImage.Size, index.Length);
        int channels = images.Channels;
        ref byte dy0 = ref MemoryMarshal.GetReference(gradient), dx0 = ref MemoryMarshal.GetReference(target);
        for (int b = first; b < last; b++)
        for (int i = 0; i < images.OutHeight; i++)
        for (int j = 0; j < images.OutWidth; j++)
        {
            int topLeft = images.InputRow(b, i) + 2 * j * channels, output = images.OutputRow(b, i) + j * channels;
            UnpoolWindow<TImage>(ref dy0, output, index.Slice(output, channels), ref dx0, topLeft, images.RowStride, channels);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void UnpoolWindow<TImage>(ref byte gradient, int output, ReadOnlySpan<int> index, ref byte target, int topLeft, int rowStride, int channels)
        where TImage : struct, IImageElements
    {
        nuint a = (nuint)topLeft, b = (nuint)(topLeft + channels), c = (nuint)(topLeft + rowStride), d = (nuint)(topLeft + rowStride + channels);
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k <= channels - Vector256<float>.Count; k += Vector256<float>.Count)
            {
                nuint e = (nuint)k;
                Vector256<float> g = TImage.Load256(ref gradient, (nuint)(output + k));
                Vector256<int> at = Vector256.Create(index.Slice(k));
                TImage.Store256(g & Vector256.Equals(at, Vector256<int>.Zero).AsSingle(), ref target, a + e);
                TImage.Store256(g & Vector256.Equals(at, Vector256.Create(1)).AsSingle(), ref target, b + e);
                TImage.Store256(g & Vector256.Equals(at, Vector256.Create(2)).AsSingle(), ref target, c + e);
                TImage.Store256(g & Vector256.Equals(at, Vector256.Create(3)).AsSingle(), ref target, d + e);
            }
        }
        for (; k < channels; k++)
        {
            nuint e = (nuint)k;
            float g = TImage.Load(ref gradient, (nuint)(output + k));
            TImage.Store(index[k] == 0 ? g : 0f, ref target, a + e);
            TImage.Store(index[k] == 1 ? g : 0f, ref target, b + e);
            TImage.Store(index[k] == 2 ? g : 0f, ref target, c + e);
            TImage.Store(index[k] == 3 ? g : 0f, ref target, d + e);
        }
    }

    // The same gradient from tensor operations, so that a second derivative can flow through it: one-hot window positions
    // times the output gradient, laid out as the windows they came from, then zero-padded to an odd side.
    private static Tensor DifferentiableBackward(Tensor gradient, Tensor windowIndex, long[] shape)
    {
        long n = shape[0], channels = shape[1], outHeight = shape[2] / 2, outWidth = shape[3] / 2;
        using var scope = NewDisposeScope();
        Tensor oneHot = windowIndex.unsqueeze(-1).eq(arange(4, ScalarType.Int32)).to(gradient.dtype);       // [N, h, w, C, 4]
        Tensor perWindow = gradient.permute(0, 2, 3, 1).unsqueeze(-1) * oneHot;
        Tensor image = perWindow.view(n, outHeight, outWidth, channels, 2, 2).permute(0, 1, 4, 2, 5, 3)
                                .reshape(n, 2 * outHeight, 2 * outWidth, channels);                      // [N, 2h, 2w, C]
        image = nn.functional.pad(image, new[] { 0L, 0L, 0L, shape[3] % 2, 0L, shape[2] % 2 });
        return image.permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }

    // The images of a batch are independent, so with more than one intra-op thread each thread takes a run of them. The
    // body gets its run's number and images [first, last), and takes its spans once per run (each span is a native call).
    // Returns the number of runs (what a body that accumulates per run sizes its partial sums by).
    internal static int ForEachImages(int count, Action<int, int, int> body)
    {
        int runs = Runs(count);
        if (runs <= 1) body(0, 0, count);
        else Parallel.For(0, runs, new ParallelOptions { MaxDegreeOfParallelism = runs }, run => body(run, run * count / runs, (run + 1) * count / runs));
        return runs;
    }

    /// <summary>How many runs <see cref="ForEachImages"/> splits <paramref name="count"/> images into: one per intra-op thread.</summary>
    internal static int Runs(int count) => Math.Max(1, Math.Min(get_num_threads(), count));
}
