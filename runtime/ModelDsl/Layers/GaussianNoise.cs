using System;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Additive Gaussian noise x + ε, ε ~ N(0, std²), drawn afresh on every training forward pass (chapter 5.9); eval returns
/// the input unchanged. Written by hand because TorchSharp has no noise layer.
/// </summary>
public sealed partial class GaussianNoise : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with standard deviation <paramref name="std"/> ≥ 0.</summary>
    public GaussianNoise(double std) : base(nameof(GaussianNoise))
    {
        if (!(std >= 0)) throw new ArgumentOutOfRangeException(nameof(std), std, "GaussianNoise: std must be zero or positive.");
        Std = std;
    }

    /// <summary>The noise's standard deviation.</summary>
    public double Std { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        // alias, like nn.Identity: the caller may dispose the output without disposing its input.
        if (!training || Std == 0) return input.alias();
        using Tensor noise = randn_like(input).mul_(Std);
        return input + noise;
    }
}
