using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Group normalization (Wu &amp; He 2018; chapter 5.3.3): per sample, over each of <c>groups</c> groups of C/groups
/// channels and any spatial dimensions, then a per-channel γ (ones) and β (zeros). Takes <c>[N, C]</c> as PyTorch's
/// GroupNorm does, and <c>[N, C, L]</c>, <c>[N, C, H, W]</c>; state_dict keys <c>weight</c> and <c>bias</c> as PyTorch's.
/// </summary>
/// <remarks>
/// Written on <c>nn.functional.group_norm</c> because TorchSharp's GroupNorm rejects rank-2 input ("Invalid number of
/// dimensions for GroupNorm argument: 2") and creates γ and β with torch.empty without initializing them (TorchSharp 0.107, src/TorchSharp/NN/Normalization/GroupNorm.cs).
/// </remarks>
public sealed partial class GroupNormalization : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // PyTorch's state_dict names; Module.to() writes converted tensors back into fields of the registered name
    private Parameter? weight;
    private Parameter? bias;
#pragma warning restore IDE1006

    /// <summary>Creates the layer.</summary>
    /// <param name="groups">G, which must divide <paramref name="channels"/>.</param>
    /// <param name="channels">C, the size of dimension 1 of the input.</param>
    /// <param name="eps">Added to the variance before the square root (PyTorch's default 1e-5).</param>
    /// <param name="affine">Learn a per-channel γ (ones) and β (zeros).</param>
    /// <param name="dtype">Parameter type (float32 when null).</param>
    /// <param name="device">Device (CPU when null).</param>
    public GroupNormalization(long groups, long channels, double eps = 1e-5, bool affine = true, ScalarType? dtype = null, Device? device = null)
        : base(nameof(GroupNormalization))
    {
        if (groups < 1 || channels < 1 || channels % groups != 0)
            throw new ArgumentException($"GroupNormalization: groups ({groups}) must be positive and divide channels ({channels}).", nameof(groups));
        if (!(eps > 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "GroupNormalization: eps must be positive.");
        Groups = groups;
        Channels = channels;
        Eps = eps;
        if (affine)
        {
            weight = new Parameter(ones(channels, dtype, device));
            bias = new Parameter(zeros(channels, dtype, device));
            register_parameter(nameof(weight), weight);
            register_parameter(nameof(bias), bias);
        }
    }

    /// <summary>G.</summary>
    public long Groups { get; }

    /// <summary>C.</summary>
    public long Channels { get; }

    /// <summary>ε.</summary>
    public double Eps { get; }

    /// <summary>γ, or null without affine.</summary>
    public Parameter? Weight => weight;

    /// <summary>β, or null without affine.</summary>
    public Parameter? Bias => bias;

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The input is not [N, C, …] with this layer's C.</exception>
    public override Tensor forward(Tensor input)
    {
        long[] shape = input.shape;
        if (shape.Length < 2 || shape[1] != Channels)
            throw new ShapeMismatchException($"GroupNormalization({Groups}, {Channels})", $"[N, {Channels}] or [N, {Channels}, …]", ShapeMismatchException.Format(shape));
        return nn.functional.group_norm(input, Groups, weight, bias, Eps);
    }
}
