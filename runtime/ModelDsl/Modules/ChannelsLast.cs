using System;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Channels-last (NHWC) strides for image activations [N, C, H, W]: the same tensor, element for element, laid out with
/// the channels innermost. libtorch's CPU max pooling runs 8× faster on it (19 ms → 2.2 ms for [128, 32, 28, 28] at one
/// thread) and oneDNN's convolutions skip their layout conversions; a layer computes the same values either way (within
/// float rounding where a kernel sums in another order). Generated CNN forwards call <see cref="From"/> once, where the
/// activation first has more than one channel, and it switches while oneDNN runs the convolutions (<see cref="Policy"/>);
/// every later layer keeps the layout (PyTorch's
/// <c>memory_format=torch.channels_last</c>, which TorchSharp 0.107 does not expose, made by permuting to NHWC, copying
/// contiguous, and permuting the view back).
/// </summary>
public static class ChannelsLast
{
    /// <summary>
    /// When <see cref="From"/> switches layouts: <see cref="ChannelsLastPolicy.WithOneDnn"/> by default;
    /// <c>MODELDSL_CHANNELS_LAST=0</c> starts a process with <see cref="ChannelsLastPolicy.Never"/>, <c>=1</c> with
    /// <see cref="ChannelsLastPolicy.Always"/>. Process-wide; it changes speed, not results beyond float rounding.
    /// </summary>
    public static ChannelsLastPolicy Policy { get; set; } = Environment.GetEnvironmentVariable("MODELDSL_CHANNELS_LAST") switch
    {
        "0" => ChannelsLastPolicy.Never,
        "1" => ChannelsLastPolicy.Always,
        _ => ChannelsLastPolicy.WithOneDnn,
    };

    /// <summary>Whether <see cref="From"/> switches layouts now, under <see cref="Policy"/>.</summary>
    public static bool Active => Policy == ChannelsLastPolicy.Always || Policy == ChannelsLastPolicy.WithOneDnn && LibTorchBackends.OneDnnEnabled;

    /// <summary>
    /// <paramref name="x"/> with channels-last strides when <see cref="Active"/> (see <see cref="Of"/>), otherwise
    /// <paramref name="x"/> itself. Generated forwards call this once, where the activation first is a multi-channel image.
    /// </summary>
    public static Tensor From(Tensor x) => Active ? Of(x) : x;

    /// <summary>
    /// <paramref name="x"/> with channels-last strides whatever the policy: a copy for a rank-4 tensor of more than one
    /// channel that is not channels-last already, otherwise <paramref name="x"/> itself.
    /// </summary>
    public static Tensor Of(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] == 1 || IsChannelsLast(x)) return x;
        using Tensor nhwc = x.permute(0, 2, 3, 1);
        using Tensor packed = nhwc.contiguous();   // the two intermediate handles are freed here; the result's view keeps the storage
        return packed.permute(0, 3, 1, 2);
    }

    /// <summary>
    /// An image a layer computed channels-last (an NHWC result permuted back to [N, C, H, W]), in the layout the process
    /// runs: as it is while <see cref="Active"/> or when already contiguous, otherwise copied to contiguous NCHW (and the
    /// view disposed). Without oneDNN, libtorch's convolutions are up to 11× slower on channels-last input (a 7×7
    /// depthwise convolution of [1, 96, 56, 56] at one thread: 57.7 ms against 5.3 ms), so a layer's own layout must not
    /// leak to the next one.
    /// </summary>
    public static Tensor Settle(Tensor image)
    {
        if (Active || image.dim() != 4 || image.is_contiguous()) return image;
        using (image) return image.contiguous();
    }

    /// <summary>True when <paramref name="x"/> [N, C, H, W] has channels-last strides (C innermost, then W, H, N).</summary>
    public static bool IsChannelsLast(Tensor x)
    {
        if (x.dim() != 4) return false;
        long[] shape = x.shape;
        return x.stride(1) == 1 && x.stride(3) == shape[1] && x.stride(2) == shape[1] * shape[3];
    }
}
