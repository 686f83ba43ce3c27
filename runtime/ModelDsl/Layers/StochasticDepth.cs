using System;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Stochastic depth (Huang et al. 2016) as torchvision.ops.stochastic_depth: in training, x · b / (1 − p) with b ~
/// Bernoulli(1 − p) per sample (<see cref="StochasticDepthMode.Row"/>, b of shape [B, 1, …]) or once for the batch; the
/// identity in eval or at p = 0. Draws from TorchSharp's global generator, as dropout does.
/// </summary>
public sealed partial class StochasticDepth : nn.Module<Tensor, Tensor>
{
    /// <param name="p">The drop probability, 0 ≤ p &lt; 1.</param>
    /// <param name="mode">Per sample or per batch.</param>
    public StochasticDepth(double p, StochasticDepthMode mode = StochasticDepthMode.Row) : base(nameof(StochasticDepth))
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), $"StochasticDepth needs 0 ≤ p < 1, not {p}");
        P = p;
        Mode = mode;
    }

    /// <summary>The drop probability.</summary>
    public double P { get; }

    /// <summary>Per sample or per batch.</summary>
    public StochasticDepthMode Mode { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        if (!training || P == 0 || input.numel() == 0) return input.alias();
        using var scope = NewDisposeScope();
        long[] shape = Enumerable.Repeat(1L, (int)input.dim()).ToArray();
        if (Mode == StochasticDepthMode.Row) shape[0] = input.shape[0];
        Tensor keep = empty(shape, input.dtype, input.device).bernoulli_(1 - P).div_(1 - P);
        return (input * keep).MoveToOuterDisposeScope();
    }
}
