using System;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Dropout with the weight-scaling inference rule (chapter 5.8.2, Srivastava et al. 2014): in training each unit
/// is kept with probability p and <em>not</em> rescaled; in eval every unit is multiplied by p, so the expected
/// activation matches. Written by hand because TorchSharp ships only inverted dropout.
/// </summary>
public sealed partial class WeightScalingDropout : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with keep probability <paramref name="keep"/> in (0, 1].</summary>
    public WeightScalingDropout(double keep) : base(nameof(WeightScalingDropout))
    {
        if (!(keep > 0 && keep <= 1)) throw new ArgumentOutOfRangeException(nameof(keep), keep, "WeightScalingDropout: keep probability must be in (0, 1].");
        Keep = keep;
    }

    /// <summary>The keep probability p.</summary>
    public double Keep { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        if (!training) return input * Keep;
        using Tensor mask = empty_like(input).bernoulli_(Keep);
        return input * mask;
    }
}
