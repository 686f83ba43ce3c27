using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// A linear layer whose weights are perturbed on every training forward pass: y = x·(W + ε)ᵀ + b, ε ~ N(0, std²)
/// (weight noise, chapter 5.9: it favours flat minima). The stored W never changes; the gradient of W + ε with respect
/// to W is the identity, so gradients reach the clean weights. Eval uses W itself. It takes over the parameters of an
/// <see cref="Linear"/> under the same names (weight, bias), so state_dict keys match a plain Linear's.
/// Written by hand because TorchSharp's Linear is sealed and has no noise option.
/// </summary>
public sealed partial class NoisyLinear : nn.Module<Tensor, Tensor>
{
    /// <summary>Wraps the parameters of <paramref name="linear"/> (not the module itself) with weight noise <paramref name="std"/>.</summary>
    public NoisyLinear(Linear linear, double std) : base(nameof(NoisyLinear))
    {
        ArgumentNullException.ThrowIfNull(linear);
        if (!(std >= 0)) throw new ArgumentOutOfRangeException(nameof(std), std, "NoisyLinear: weight-noise std must be zero or positive.");
        Std = std;
        register_parameter("weight", linear.weight);
        if (linear.bias is not null) register_parameter("bias", linear.bias);
    }

    /// <summary>The standard deviation of the noise added to each weight.</summary>
    public double Std { get; }

    /// <summary>The clean weight [out, in]. The setter exists because Module.to() replaces parameters through public properties.</summary>
#pragma warning disable IDE1006, CA1707 // TorchSharp's own spelling, so generated init code reads {layer}.weight for both layers.
    public Parameter weight
    {
        get => get_parameter("weight")!;
        set => ConditionallyRegisterParameter("weight", value);
    }

    /// <summary>The bias [out], or null.</summary>
    public Parameter? bias
    {
        get => get_parameter("bias");
        set => ConditionallyRegisterParameter("bias", value);
    }
#pragma warning restore IDE1006, CA1707

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        Parameter w = weight;
        if (!training || Std == 0) return nn.functional.linear(input, w, bias);
        using Tensor noise = randn_like(w).mul_(Std);
        using Tensor noisy = w + noise;
        return nn.functional.linear(input, noisy, bias);
    }
}
