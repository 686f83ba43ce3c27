using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Layer norm over the channels of each pixel of [B, C, H, W] (ConvNeXt's LayerNorm2d, Liu et al. 2022; torchvision's
/// convnext.LayerNorm2d): y = (x − mean_C) / √(var_C + ε) · γ + β with γ, β of shape [C], computed as layer_norm on the
/// channels-last view.
/// </summary>
public sealed partial class ChannelLayerNorm : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // PyTorch's parameter names, the state_dict keys
    /// <summary>γ, [C] (null without affine).</summary>
    public readonly Parameter? weight;

    /// <summary>β, [C] (null without affine).</summary>
    public readonly Parameter? bias;
#pragma warning restore IDE1006

    /// <param name="channels">C.</param>
    /// <param name="eps">ε.</param>
    /// <param name="affine">Whether γ and β are learned (start at 1 and 0).</param>
    /// <param name="dtype">Parameter type (float32 when null).</param>
    public ChannelLayerNorm(long channels, double eps = 1e-5, bool affine = true, ScalarType? dtype = null) : base(nameof(ChannelLayerNorm))
    {
        if (channels < 1 || !(eps > 0)) throw new ArgumentOutOfRangeException(nameof(channels), $"ChannelLayerNorm needs channels ≥ 1 and ε > 0, not {channels}, {eps}");
        Channels = channels;
        Eps = eps;
        if (affine)
        {
            weight = new Parameter(ones(new[] { channels }, dtype ?? ScalarType.Float32));
            bias = new Parameter(zeros(new[] { channels }, dtype ?? ScalarType.Float32));
        }
        RegisterComponents();
    }

    /// <summary>C.</summary>
    public long Channels { get; }

    /// <summary>ε.</summary>
    public double Eps { get; }

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The input is not [B, C, H, W].</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != Channels)
            throw new ShapeMismatchException(nameof(ChannelLayerNorm), $"[B, {Channels}, H, W]", ShapeMismatchException.Format(input.shape));
        using Tensor last = input.permute(0, 2, 3, 1);
        using Tensor normalized = nn.functional.layer_norm(last, new[] { Channels }, weight, bias, Eps);
        return ChannelsLast.Settle(normalized.permute(0, 3, 1, 2), input); // computed channels-last: back in the input's layout
    }
}
