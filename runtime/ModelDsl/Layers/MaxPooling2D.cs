using System;
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
/// first maximum, so the values and gradients are identical.
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
        if (!ThroughChannelsLast || input.dim() != 4 || input.shape[1] == 1 || input.device_type != TorchSharp.DeviceType.CPU || !input.is_contiguous())
            return Pool(input);
        if (is_grad_enabled() && input.requires_grad) return ChannelsLastMaxPool.apply(input, kernel, stride, padding, CeilMode);
        using Tensor channelsLast = ChannelsLast.Of(input);
        Tensor pooled = Pool(channelsLast);
        if (pooled.is_contiguous()) return pooled; // a 1×1 output is contiguous in both layouts
        using (pooled) return pooled.contiguous();
    }

    private Tensor Pool(Tensor x) => nn.functional.max_pool2d(x, kernel, stride, padding, ceil_mode: CeilMode);
}
