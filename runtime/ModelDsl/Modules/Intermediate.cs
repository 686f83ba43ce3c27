using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Frees a forward's intermediate results as soon as nothing in the forward reads them again, as TorchSharp's own
/// <c>Sequential.forward</c> does. A C# tensor handle keeps its native tensor alive until it is disposed, so a loop that
/// only reassigns <c>x = layer.forward(x)</c> holds every activation of the loop until the caller's dispose scope ends,
/// where PyTorch's reference counts free them at once; autograd keeps what backward needs on its own either way. In a
/// residual network's training step the held activations cost time: ResNet-18's step at batch 8 ran 1.46× TorchVision's
/// C# port (which adds and activates in place) before its residual units freed them, 0.89× after (docs/benchmarks.md).
/// Written by hand: TorchSharp has no such helper outside Sequential.
/// </summary>
internal static class Intermediate
{
    /// <summary>Disposes <paramref name="value"/> unless it is <paramref name="kept"/> (a tensor the caller still reads or returns).</summary>
    public static void Release(Tensor value, Tensor kept)
    {
        if (!ReferenceEquals(value, kept)) value.Dispose();
    }

    /// <summary>
    /// <paramref name="next"/>, computed from <paramref name="previous"/>, after disposing <paramref name="previous"/> unless
    /// it is <paramref name="next"/> itself (a layer that handed its input back) or <paramref name="kept"/> (the forward's
    /// own input, which belongs to its caller).
    /// </summary>
    public static Tensor Replace(Tensor previous, Tensor next, Tensor kept)
    {
        if (!ReferenceEquals(previous, next)) Release(previous, kept);
        return next;
    }
}
