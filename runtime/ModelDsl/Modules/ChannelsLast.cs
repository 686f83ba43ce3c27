using System;
using System.Linq;
using System.Runtime.CompilerServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Channels-last (NHWC) strides for image activations [N, C, H, W]: the same tensor, element for element, laid out with
/// the channels innermost. libtorch's CPU max pooling runs 8× faster on it (19 ms → 2.2 ms for [128, 32, 28, 28] at one
/// thread), oneDNN's convolutions skip their layout conversions, and with oneMKL on a CPU-specific path libtorch's own
/// convolutions run faster too; a layer computes the same values either way (within float rounding where a kernel sums in
/// another order). Generated CNN forwards call <see cref="From"/> once, where the activation first has more than one
/// channel (<see cref="FromLayer"/> where that is a convolution's output), and it switches when
/// <see cref="RunsChannelsLast"/> says so for that model (<see cref="Policy"/>); every later layer keeps the layout
/// (PyTorch's <c>memory_format=torch.channels_last</c>, which TorchSharp 0.107 does not expose, made by permuting to
/// NHWC, copying contiguous, and permuting the view back).
/// </summary>
public static class ChannelsLast
{
    // Per module: whether a convolution with groups > 1 is anywhere in it. A generated model's layers are fixed once it is
    // constructed, so the walk over its modules runs once per model, on its first forward.
    private static readonly ConditionalWeakTable<nn.Module, StrongBox<bool>> grouped = new();

    /// <summary>
    /// When <see cref="From"/> switches layouts: <see cref="ChannelsLastPolicy.Auto"/> by default;
    /// <c>MODELDSL_CHANNELS_LAST=0</c> starts a process with <see cref="ChannelsLastPolicy.Never"/>, <c>=1</c> with
    /// <see cref="ChannelsLastPolicy.Always"/>. Process-wide; it changes speed, not results beyond float rounding.
    /// </summary>
    public static ChannelsLastPolicy Policy { get; set; } = Environment.GetEnvironmentVariable("MODELDSL_CHANNELS_LAST") switch
    {
        "0" => ChannelsLastPolicy.Never,
        "1" => ChannelsLastPolicy.Always,
        _ => ChannelsLastPolicy.Auto,
    };

    /// <summary>
    /// Whether <see cref="From"/> switches <paramref name="model"/>'s activations now, under <see cref="Policy"/>. For
    /// <see cref="ChannelsLastPolicy.Auto"/>: while oneDNN runs the convolutions; otherwise only where oneMKL runs a
    /// CPU-specific code path (<see cref="MklCodePath.ChosenPath"/> above 0) and no convolution module in
    /// <paramref name="model"/> (its own or any child's, composed components included) has <c>groups</c> above 1, since
    /// libtorch's own grouped convolutions are several times slower on NHWC. A component decides for itself: one without
    /// grouped convolutions inside a model with them runs channels-last inside and hands back NCHW.
    /// </summary>
    public static bool RunsChannelsLast(nn.Module model) => Decide(model).Runs;

    /// <summary>
    /// <paramref name="x"/> with channels-last strides when <see cref="RunsChannelsLast"/> for <paramref name="model"/>
    /// (see <see cref="Of"/>), otherwise <paramref name="x"/> itself. Generated forwards call this once, with themselves,
    /// where the activation first is a multi-channel image.
    /// </summary>
    public static Tensor From(Tensor x, nn.Module model) => RunsChannelsLast(model) ? Of(x) : x;

    /// <summary>
    /// <c>From(layer.forward(x), model)</c>, for the layer after which a model switches to channels-last: where that
    /// layer is a <see cref="Conv2d"/> over an NCHW image, it computes its output straight into channels-last memory
    /// instead of copying an NCHW result (one unfold and one batched matrix product; equal up to float rounding). Without
    /// oneDNN that saves the copy of the layer's output, the largest activation of a small CNN, and of its gradient: the
    /// MNIST CNN's training step at batch 64 and its eval at batch 128 take about 0.90 of the time they took with the
    /// copy. With oneDNN (or a convolution that path does not take), a one-channel image goes to the layer as a
    /// channels-last view of the same memory, so oneDNN writes its output NHWC instead of reordering it to NCHW for the
    /// copy: the MNIST CNN's training step at batch 64 took 0.77–0.80 of its time on one Xeon (Emerald Rapids) core.
    /// Generated chain forwards call this where they switch right after a convolution.
    /// </summary>
    public static Tensor FromLayer(nn.Module<Tensor, Tensor> layer, Tensor x, nn.Module model)
    {
        if (!RunsChannelsLast(model)) return layer.forward(x);
        if (layer is Conv2d conv && ChannelsLastConvolution.Applies(conv, x)) return ChannelsLastConvolution.Forward(conv, x);
        using Tensor? view = SingleChannelView(x);
        return Of(layer.forward(view ?? x));
    }

    /// <summary>
    /// For a contiguous one-channel image [N, 1, H, W], whose memory is the same in NCHW and NHWC order, a view of it with
    /// channels-last strides (libtorch then picks its channels-last kernels, and oneDNN writes a convolution's output
    /// straight into NHWC instead of its blocked layout reordered to NCHW and copied again); null for any other tensor.
    /// The caller disposes the view.
    /// </summary>
    internal static Tensor? SingleChannelView(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != 1 || !x.is_contiguous() || x.stride(1) == 1) return null;
        long[] shape = x.shape;
        // The offset is passed on purpose: TorchSharp's as_strided starts at element 0 of the storage unless told
        // (PyTorch's keeps the tensor's own), and a batch sliced from a larger tensor starts further in.
        return x.as_strided(shape, new[] { shape[2] * shape[3], 1, shape[3], 1 }, x.storage_offset());
    }

    /// <summary>
    /// <c>conv.forward(x)</c>, for a convolution of a model that may run channels-last: with no gradient to record (an
    /// eval forward under <c>no_grad</c>, as <c>Evaluating()</c> runs it) a large enough convolution of a channels-last
    /// image multiplies a block of ~1,024 output positions at a time straight into NHWC memory, where libtorch makes one
    /// product per image (the same sums; the MNIST CNN's second convolution at batch 128 in 6.2–7.5 against 7.0–9.1 ms).
    /// Everything else, training included, is <c>conv.forward(x)</c>. Generated chain forwards call this for each
    /// <c>[Conv2d]</c> after their switch to channels-last, and <see cref="ResidualBlock"/> for its branch's.
    /// </summary>
    public static Tensor Convolve(Conv2d conv, Tensor x)
        => ChannelsLastConvolution.AppliesChannelsLast(conv, x) && !RecordsGradient(conv, x)   // the cheap test first
            ? ChannelsLastConvolution.ForwardChannelsLast(conv, x, conv.weight, conv.bias, rectify: false)
            : conv.forward(x);

    private static bool RecordsGradient(Conv2d conv, Tensor x)
        => is_grad_enabled() && (x.requires_grad || conv.weight.requires_grad || conv.bias?.requires_grad == true);

    /// <summary>
    /// What <see cref="RunsChannelsLast"/> decides for <paramref name="model"/> now, and why, in one line
    /// (<c>"channels-last (NHWC): oneDNN runs the convolutions"</c>, <c>"NCHW: oneDNN is off and the model has a grouped
    /// convolution, …"</c>). The Trainer notes it to its progress reporter for a model with a 2-D convolution.
    /// </summary>
    public static string Explain(nn.Module model)
    {
        var (runs, why) = Decide(model);
        return (runs ? "channels-last (NHWC): " : "NCHW: ") + why;
    }

    // The one place the policy is decided; the reasons are constants, so asking on every forward allocates nothing.
    private static (bool Runs, string Why) Decide(nn.Module model) => Policy switch
    {
        ChannelsLastPolicy.Always => (true, "ChannelsLast.Policy is Always"),
        ChannelsLastPolicy.Never => (false, "ChannelsLast.Policy is Never"),
        _ when LibTorchBackends.OneDnnEnabled => (true, "oneDNN runs the convolutions"),
        ChannelsLastPolicy.WithOneDnn => (false, "oneDNN is off and ChannelsLast.Policy is WithOneDnn"),
        _ when HasGroupedConvolution(model) => (false, "oneDNN is off and the model has a grouped convolution, which libtorch's own kernels run slower on NHWC"),
        // oneMKL's path is known from its first product on (TorchNative.EnsureLoaded's numerics check makes one).
        _ when !(MklCodePath.ChosenPath > 0) => (false, "oneDNN is off and oneMKL runs its generic path"),
        _ => (true, "oneDNN is off, oneMKL runs a CPU-specific path and no convolution is grouped"),
    };

    /// <summary>True when a convolution module in <paramref name="model"/> (itself included) has <c>groups</c> above 1.</summary>
    public static bool HasGroupedConvolution(nn.Module model)
        => grouped.GetValue(model, m => new StrongBox<bool>(m.modules().Prepend(m).Any(c => c is Convolution { groups: > 1 }))).Value;

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
    /// An image a layer computed channels-last (an NHWC result permuted back to [N, C, H, W]), in the layout of the layer's
    /// <paramref name="input"/>, which is the layout the model runs: as it is when the input is channels-last or the image
    /// already contiguous, otherwise copied to contiguous NCHW (and the view disposed). Without oneDNN, libtorch's grouped
    /// convolutions are up to 11× slower on channels-last input (a 7×7 depthwise convolution of [1, 96, 56, 56] at one
    /// thread: 57.7 ms against 5.3 ms), so a layer's own layout must not leak to the next one.
    /// </summary>
    public static Tensor Settle(Tensor image, Tensor input)
    {
        if (image.dim() != 4 || image.is_contiguous() || IsChannelsLast(input)) return image;
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
