using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// nn.Linear over the channels of each pixel: [B, C, H, W] → [B, units, H, W] through the channels-last view, weight
/// [units, C] (ConvNeXt's pointwise layers). TorchSharp's default Linear init, U(±1/√C), drawn from <c>generator</c> when given.
/// </summary>
public sealed partial class ChannelDense : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // PyTorch's parameter names, the state_dict keys
    /// <summary>[units, C].</summary>
    public readonly Parameter weight;

    /// <summary>[units].</summary>
    public readonly Parameter bias;
#pragma warning restore IDE1006

    /// <param name="channels">C.</param>
    /// <param name="units">The output channels.</param>
    /// <param name="generator">Seeded draws for the init; null uses the global generator.</param>
    /// <param name="dtype">Parameter type (float32 when null).</param>
    public ChannelDense(long channels, long units, Generator? generator = null, ScalarType? dtype = null) : base(nameof(ChannelDense))
    {
        if (channels < 1 || units < 1) throw new ArgumentOutOfRangeException(nameof(units), $"ChannelDense needs positive sizes, not {channels} → {units}");
        Channels = channels;
        Units = units;
        weight = new Parameter(empty(new[] { units, channels }, dtype ?? ScalarType.Float32));
        bias = new Parameter(empty(new[] { units }, dtype ?? ScalarType.Float32));
        Initializers.TorchDefault(weight, bias, generator);
        RegisterComponents();
    }

    /// <summary>C.</summary>
    public long Channels { get; }

    /// <summary>The output channels.</summary>
    public long Units { get; }

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The input is not [B, C, H, W].</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != Channels)
            throw new ShapeMismatchException(nameof(ChannelDense), $"[B, {Channels}, H, W]", ShapeMismatchException.Format(input.shape));
        using Tensor last = input.permute(0, 2, 3, 1);
        using Tensor mapped = nn.functional.linear(last, weight, bias);
        return ChannelsLast.Settle(mapped.permute(0, 3, 1, 2), input); // computed channels-last: back in the input's layout
    }
}
