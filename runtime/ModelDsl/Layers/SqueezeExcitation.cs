using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Squeeze-and-excitation (Hu et al. 2018) on an image [B, C, H, W]: y = x · scale(fc2(activation(fc1(mean_HW(x))))),
/// as torchvision.ops.SqueezeExcitation, with its children and so its state_dict keys (fc1.weight [S, C, 1, 1], fc1.bias,
/// fc2.weight [C, S, 1, 1], fc2.bias). The convolutions start with TorchSharp's default init, U(±1/√fan_in), drawn
/// from <c>generator</c> when one is given.
/// </summary>
public sealed partial class SqueezeExcitation : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // torchvision's child names, which become state_dict keys
    /// <summary>Mean over height and width, [B, C, 1, 1].</summary>
    public readonly AdaptiveAvgPool2d avgpool;

    /// <summary>C → S, 1×1.</summary>
    public readonly Conv2d fc1;

    /// <summary>S → C, 1×1.</summary>
    public readonly Conv2d fc2;

    /// <summary>After fc1: ReLU or SiLU.</summary>
    public readonly nn.Module<Tensor, Tensor> activation;

    /// <summary>The gate: Sigmoid or Hardsigmoid.</summary>
    public readonly nn.Module<Tensor, Tensor> scale_activation;
#pragma warning restore IDE1006

    /// <param name="channels">C.</param>
    /// <param name="squeezeChannels">S, the bottleneck.</param>
    /// <param name="activation">After fc1.</param>
    /// <param name="scale">The gate.</param>
    /// <param name="generator">Seeded draws for the convolutions' init; null uses the global generator.</param>
    /// <param name="dtype">Parameter type (float32 when null).</param>
    public SqueezeExcitation(long channels, long squeezeChannels, SqueezeActivation activation = SqueezeActivation.ReLU, SqueezeScale scale = SqueezeScale.Sigmoid,
        Generator? generator = null, ScalarType? dtype = null) : base(nameof(SqueezeExcitation))
    {
        if (channels < 1 || squeezeChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(squeezeChannels), $"SqueezeExcitation needs positive sizes, but channels {channels}, squeeze channels {squeezeChannels}");
        Channels = channels;
        SqueezeChannels = squeezeChannels;
        Activation = activation;
        Scale = scale;
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc1 = nn.Conv2d(channels, squeezeChannels, 1, dtype: dtype);
        fc2 = nn.Conv2d(squeezeChannels, channels, 1, dtype: dtype);
        Initializers.TorchDefault(fc1.weight, fc1.bias, generator);
        Initializers.TorchDefault(fc2.weight, fc2.bias, generator);
        this.activation = activation == SqueezeActivation.SiLU ? nn.SiLU() : nn.ReLU();
        scale_activation = scale == SqueezeScale.Hardsigmoid ? nn.Hardsigmoid() : nn.Sigmoid();
        RegisterComponents();
    }

    /// <summary>C.</summary>
    public long Channels { get; }

    /// <summary>S.</summary>
    public long SqueezeChannels { get; }

    /// <summary>The activation after fc1.</summary>
    public SqueezeActivation Activation { get; }

    /// <summary>The gate.</summary>
    public SqueezeScale Scale { get; }

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The input is not [B, C, H, W].</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != Channels)
            throw new ShapeMismatchException(nameof(SqueezeExcitation), $"[B, {Channels}, H, W]", ShapeMismatchException.Format(input.shape));
        using var scope = NewDisposeScope();
        Tensor gate = scale_activation.forward(fc2.forward(activation.forward(fc1.forward(avgpool.forward(input)))));
        return (input * gate).MoveToOuterDisposeScope();
    }
}
