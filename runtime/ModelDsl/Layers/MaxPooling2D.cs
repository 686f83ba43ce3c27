using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Max pooling over square windows of an image [N, C, H, W] → [N, C, H', W'], H' = ⌊(H + 2p − k) / s⌋ + 1 (⌈…⌉ in
/// ceil mode): PyTorch's <c>nn.MaxPool2d(k, s, p, ceil_mode=…)</c>, same values, same gradients, same output layout.
/// </summary>
/// <remarks>
/// Written by hand because libtorch's CPU kernel for contiguous NCHW images is a scalar loop per output, while on
/// channels-last (NHWC) strides it vectorizes over channels: measured at one thread on an AVX-512 CPU, a 2×2 pool of
/// [128, 32, 28, 28] took 20.0 ms in NCHW and 5.6 ms going through NHWC (copy in, pool, copy out), a 3×3 stride-1 pool
/// 87.5 against 11.4 ms (docs/speed.md). So a contiguous NCHW image of more than one channel on the CPU is pooled
/// through an NHWC copy and handed back NCHW. While gradients are recorded that happens inside one autograd node
/// (<see cref="ChannelsLastMaxPool"/>) whose backward returns a contiguous NCHW gradient, so the layers before the pool
/// run their backward passes on the layout they ran forward. A channels-last input (a model that runs channels-last) is
/// pooled as it is and stays channels-last. Max is exact and both layouts scan a window in the same order and keep its
/// first maximum, so the values and gradients are identical. A 2×2 window at stride 2 of a float32 or bfloat16
/// channels-last image (a model that runs channels-last) runs ModelDsl's own kernel, with and without gradients (<see cref="TwoByTwoKernel"/>):
/// forward + backward of [64, 32, 28, 28] in 0.73–0.82 ms against libtorch's 1.27–1.42 ms at one thread. <see cref="FoldedInference"/>
/// pools other large 2×2 windows at stride 2 of a channels-last image (float64) as two elementwise maximums of strided
/// views (<see cref="PairwiseMaximum"/>): [128, 32, 28, 28] in 0.7–0.8 ms against libtorch's 1.6–1.9 ms.
/// </remarks>
public sealed partial class MaxPooling2D : nn.Module<Tensor, Tensor>
{
    private readonly long[] kernel;
    private readonly long[] stride;
    private readonly long[] padding;

    /// <param name="kernelSize">Window side k, at least 1.</param>
    /// <param name="stride">Step s between windows, at least 1 (PyTorch's default is k).</param>
    /// <param name="padding">Implicit −∞ padding p on each side, 0 ≤ p ≤ k / 2 (PyTorch's bound).</param>
    /// <param name="ceilMode">Round the output size up instead of down (a last window that starts in the padding is dropped).</param>
    /// <exception cref="ArgumentOutOfRangeException">k or s is less than 1, or p is outside [0, k / 2].</exception>
    public MaxPooling2D(long kernelSize, long stride, long padding = 0, bool ceilMode = false) : base(nameof(MaxPooling2D))
    {
        if (kernelSize < 1 || stride < 1 || padding < 0 || padding > kernelSize / 2)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), $"MaxPooling2D needs k ≥ 1, s ≥ 1 and 0 ≤ p ≤ k / 2, not k {kernelSize}, s {stride}, p {padding}");
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        CeilMode = ceilMode;
        kernel = new[] { kernelSize, kernelSize };
        this.stride = new[] { stride, stride };
        this.padding = new[] { padding, padding };
    }

    /// <summary>
    /// Whether a contiguous NCHW image on the CPU is pooled through an NHWC copy (true by default; the environment variable
    /// <c>MODELDSL_POOL_CHANNELS_LAST=0</c> starts a process with it off). Process-wide; it changes speed, never values.
    /// </summary>
    public static bool ThroughChannelsLast { get; set; } = Environment.GetEnvironmentVariable("MODELDSL_POOL_CHANNELS_LAST") != "0";

    /// <summary>
    /// Whether a 2×2 pool at stride 2 without padding of a float32 or bfloat16 channels-last image on the CPU (a model that runs
    /// channels-last) runs ModelDsl's own kernel (<see cref="TwoByTwoMaxPool"/>) instead of libtorch's general one (true by
    /// default; the environment variable <c>MODELDSL_POOL_KERNEL=0</c> starts a process with it off). Process-wide; the
    /// values and gradients are the same, only the speed changes.
    /// </summary>
    public static bool TwoByTwoKernel { get; set; } = Environment.GetEnvironmentVariable("MODELDSL_POOL_KERNEL") != "0";

    /// <summary>
    /// Whether <see cref="ForwardAfter(BatchNormalization, Tensor, bool)"/> computes a batch norm and this pool in one pass where the 2×2 kernel applies
    /// (true by default; the environment variable <c>MODELDSL_POOL_FUSE_BATCHNORM=0</c> starts a process with it off).
    /// Process-wide. Values equal the two layers' within float rounding (the statistics are summed differently).
    /// </summary>
    public static bool FusesBatchNorm { get; set; } = Environment.GetEnvironmentVariable("MODELDSL_POOL_FUSE_BATCHNORM") != "0";

    /// <summary>
    /// <paramref name="normalization"/> then this pool: <c>forward(normalization.forward(input))</c>, then a ReLU where
    /// <paramref name="applyReLU"/> says so; what generated chains call for a batch norm followed by a max pool (and a
    /// ReLU, which commutes with the pool). Where <see cref="FusesBatchNorm"/> is on and the pool's 2×2 kernel applies
    /// (<see cref="TwoByTwoKernel"/>), the normalized image is never written: in training the batch norm's statistics and
    /// backward, and the ReLU's, run inside the pool's kernel (<see cref="BatchNormMaxPool"/>), at eval without gradients
    /// the kernel applies the batch norm's per-channel affine map while it pools. Measured at one thread on an AVX-512
    /// Xeon, [64, 32, 28, 28]: training forward + backward 1.88–1.92 ms against the two layers' 2.97–3.21 ms, eval
    /// 0.34–0.37 against 0.74–0.84 ms (docs/speed.md). Values equal the layers' within float rounding. A bfloat16 image
    /// (a convolution's under autocast) is read as it is and computed in float32; the output and the input's gradient are
    /// bfloat16, as libtorch's batch norm gives them for a bfloat16 input.
    /// </summary>
    /// <param name="normalization">The batch norm right before this pool.</param>
    /// <param name="input">The batch norm's input [N, C, H, W].</param>
    /// <param name="applyReLU">Rectify the pooled image, max(0, ·), as a ReLU after this pool (or before it: they commute) would.</param>
    /// <returns>The pooled image, as <see cref="forward"/> returns it (rectified with <paramref name="applyReLU"/>).</returns>
    /// <exception cref="ShapeMismatchException">Either layer refuses the input (see their <c>forward</c>).</exception>
    public Tensor ForwardAfter(BatchNormalization normalization, Tensor input, bool applyReLU = false)
    {
        if (FusesBatchNorm && UsesTwoByTwoKernel(input) && normalization.NormalizesInsidePool(input))
        {
            if (normalization.training) return normalization.NormalizeAndPool(input, applyReLU);
            if (!(is_grad_enabled() && input.requires_grad))
            {
                Tensor pooled = TwoByTwoMaxPool.Pool(input, null, normalization.EvalAffine());
                return applyReLU ? pooled.relu_() : pooled;
            }
        }
        Tensor output = forward(normalization.forward(input));
        return applyReLU ? output.relu_() : output;
    }

    /// <summary>
    /// Whether <see cref="ForwardAfter(BatchNormalization, Conv2d, Tensor, nn.Module, bool)"/> computes a model's first
    /// convolution inside the batch norm + pool kernel where it can (true by default; the environment variable
    /// <c>MODELDSL_POOL_FUSE_CONVOLUTION=0</c> starts a process with it off). Process-wide. Values equal the layers'
    /// within float rounding.
    /// </summary>
    public static bool FusesConvolution { get; set; } = Environment.GetEnvironmentVariable("MODELDSL_POOL_FUSE_CONVOLUTION") != "0";

    /// <summary>
    /// <paramref name="convolution"/>, then <paramref name="normalization"/>, then this pool (and a ReLU where
    /// <paramref name="applyReLU"/> says so): <c>ForwardAfter(normalization, ChannelsLast.FromLayer(convolution, input,
    /// model), applyReLU)</c>, what generated chains call when a model's first layers are such a convolution, batch norm
    /// and pool. In training, where <see cref="FusesConvolution"/> and <see cref="FusesBatchNorm"/> are on, the model runs
    /// channels-last (<see cref="ChannelsLast.RunsChannelsLast"/>), the runtime accelerates 512-bit vectors, autocast is
    /// off, the pool's 2×2 kernel applies and the convolution is 3×3 with one float32 input channel, stride 1, padding 1
    /// and no bias, of an image that needs no gradient (a grayscale input), the convolution's output is never written:
    /// the four outputs of each window are computed from the image where the pool needs them
    /// (<see cref="ConvolutionBatchNormMaxPool"/>). Measured at one thread on an AVX-512 Xeon, [64, 1, 28, 28] → 32
    /// channels with the ReLU, forward + backward 1.38–1.47 ms against the layers' 2.31–2.38 ms (docs/speed.md). Values
    /// and gradients equal the layers' within float rounding.
    /// </summary>
    /// <param name="normalization">The batch norm between the convolution and this pool.</param>
    /// <param name="convolution">The convolution the chain starts with (its output is the batch norm's input).</param>
    /// <param name="input">The convolution's input [N, C, H, W].</param>
    /// <param name="model">The generated model, whose layout policy decides (<see cref="ChannelsLast.FromLayer"/>).</param>
    /// <param name="applyReLU">Rectify the pooled image, max(0, ·), as a ReLU after this pool (or before it) would.</param>
    /// <returns>The pooled image, as the layers apart return it.</returns>
    /// <exception cref="ShapeMismatchException">A layer refuses its input (see their <c>forward</c>).</exception>
    public Tensor ForwardAfter(BatchNormalization normalization, Conv2d convolution, Tensor input, nn.Module model, bool applyReLU = false)
    {
        if (FusesConvolution && FusesBatchNorm && TwoByTwoKernel && ConvolutionBatchNormMaxPool.Enabled && normalization.training
            && KernelSize == 2 && Stride == 2 && Padding == 0 && ConvolutionBatchNormMaxPool.Handles(convolution, input)
            && (!CeilMode || input.shape[2] % 2 == 0 && input.shape[3] % 2 == 0)
            && normalization.NormalizesInsidePool(new[] { input.shape[0], convolution.out_channels, input.shape[2], input.shape[3] })
            && !Autocast.IsEnabled && ChannelsLast.RunsChannelsLast(model))
            return normalization.ConvolveNormalizeAndPool(convolution, input, applyReLU);
        return ForwardAfter(normalization, ChannelsLast.FromLayer(convolution, input, model), applyReLU);
    }

    /// <summary>
    /// Whether <see cref="FoldedInference"/> computes a 2×2, stride-2, unpadded pool of a large channels-last image on the
    /// CPU as elementwise maximums of strided views instead of libtorch's pooling kernel (true by default; the
    /// environment variable <c>MODELDSL_POOL_PAIRWISE=0</c> starts a process with it off). Process-wide; the values are
    /// the same (a maximum is exact, NaN propagates in both), only the speed changes.
    /// </summary>
    public static bool PairwiseMaximum { get; set; } = Environment.GetEnvironmentVariable("MODELDSL_POOL_PAIRWISE") != "0";

    /// <summary>Window side k.</summary>
    public long KernelSize { get; }

    /// <summary>Step s between windows.</summary>
    public long Stride { get; }

    /// <summary>Padding p on each side.</summary>
    public long Padding { get; }

    /// <summary>Whether the output size rounds up.</summary>
    public bool CeilMode { get; }

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The input is not [N, C, H, W] or [C, H, W].</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() is not (3 or 4))
            throw new ShapeMismatchException(nameof(MaxPooling2D), "[B, C, H, W]", ShapeMismatchException.Format(input.shape));
        if (UsesTwoByTwoKernel(input))
            return is_grad_enabled() && input.requires_grad ? TwoByTwoMaxPool.apply(input) : TwoByTwoMaxPool.Values(input);
        if (!ThroughChannelsLast || input.dim() != 4 || input.shape[1] == 1 || input.device_type != TorchSharp.DeviceType.CPU || !input.is_contiguous())
            return Pool(input);
        if (is_grad_enabled() && input.requires_grad) return ChannelsLastMaxPool.apply(input, kernel, stride, padding, CeilMode);
        using Tensor channelsLast = ChannelsLast.Of(input);
        Tensor pooled = UsesTwoByTwoKernel(channelsLast) ? TwoByTwoMaxPool.Values(channelsLast) : Pool(channelsLast);
        if (pooled.is_contiguous()) return pooled; // a 1×1 output is contiguous in both layouts
        using (pooled) return pooled.contiguous();
    }

    // A 2×2 pool at stride 2 of a float32 or bfloat16 channels-last image; in ceil mode only with even sides (an odd one
    // would add a last window of one row or column).
    internal bool UsesTwoByTwoKernel(Tensor x)
        => TwoByTwoKernel && KernelSize == 2 && Stride == 2 && Padding == 0 && x.dim() == 4 && TwoByTwoMaxPool.Handles(x)
           && (!CeilMode || x.shape[2] % 2 == 0 && x.shape[3] % 2 == 0);

    private Tensor Pool(Tensor x) => nn.functional.max_pool2d(x, kernel, stride, padding, ceil_mode: CeilMode);

    /// <summary>
    /// <see cref="forward"/>'s output, computed by <see cref="PairwiseMax"/> where <see cref="PoolsPairwise"/> allows
    /// (<see cref="FoldedInference"/>'s pooling step). The model's own forward keeps libtorch's kernel: the heap of the
    /// MNIST CNN's eval loop at batch 128 (600 calls) already ended anywhere between 239 and 707 MB in seven runs of the
    /// same process (glibc's fragmentation, docs/speed.md), and at 416–815 MB in six with this; the folded loop's stayed
    /// at 166–189 MB with it and 153–187 MB without.
    /// </summary>
    internal Tensor ForwardPairwise(Tensor x) => !UsesTwoByTwoKernel(x) && PoolsPairwise(x) ? PairwiseMax(x) : forward(x);

    /// <summary>
    /// Output elements below which <see cref="PairwiseMax"/>'s dozen small operations cost more than libtorch's one:
    /// measured at one thread, [1, 32, 28, 28] (6,272 outputs) pooled pairwise took about 35 µs more.
    /// </summary>
    private const long PairwiseMinimumOutputs = 32768;

    // The cheap tests first (each libtorch query is a native call, and a small pool takes microseconds). In ceil mode an
    // odd side has a last window of one row or column, which the quarters would drop.
    internal bool PoolsPairwise(Tensor x)
    {
        if (!PairwiseMaximum || KernelSize != 2 || Stride != 2 || Padding != 0) return false;
        long[] shape = x.shape;
        return shape.Length == 4 && shape[0] * shape[1] * (shape[2] / 2) * (shape[3] / 2) >= PairwiseMinimumOutputs
               && (!CeilMode || shape[2] % 2 == 0 && shape[3] % 2 == 0)
               && x.device_type == TorchSharp.DeviceType.CPU && !(is_grad_enabled() && x.requires_grad) && ChannelsLast.IsChannelsLast(x);
    }

    /// <summary>
    /// out[n, c, i, j] = max over the window {2i, 2i + 1} × {2j, 2j + 1}, for a channels-last [N, C, H, W]: the maximum of
    /// the window's rows, then of its columns, each over whole NHWC channel vectors. Returns [N, C, ⌊H/2⌋, ⌊W/2⌋],
    /// channels-last. Written by hand because libtorch's pooling kernel visits each window's elements one at a time.
    /// </summary>
    private static Tensor PairwiseMax(Tensor x)
    {
        long n = x.shape[0], channels = x.shape[1], height = x.shape[2] / 2, width = x.shape[3] / 2;
        using var scope = NewDisposeScope();
        Tensor image = x.narrow(2, 0, 2 * height).narrow(3, 0, 2 * width).permute(0, 2, 3, 1);   // [N, 2h, 2w, C]
        Tensor windows = image.reshape(n, height, 2, width, 2, channels);                          // a view unless a side was odd
        // Two maximums (of the windows' rows, then of their columns) run in 0.7–0.8 ms for [128, 32, 28, 28]; three
        // maximums of output-sized quarters took 1.2 ms.
        Tensor rows = maximum(windows.select(2, 0), windows.select(2, 1));                         // [N, h, w, 2, C]
        Tensor pooled = maximum(rows.select(3, 0), rows.select(3, 1));                             // [N, h, w, C]
        return pooled.permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }
}
