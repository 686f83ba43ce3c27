using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [InstanceNorm] → nn.InstanceNorm2d(C): each (sample, channel) over (H, W) (5.3.3). γ starts at 1 and β at 0 when
/// Affine (TorchSharp's NormBase resets them). With TrackRunningStats, eval uses the running averages.
/// </summary>
internal sealed class InstanceNormRule : LayerRule
{
    public override string Name => "InstanceNorm";

    public override ImmutableArray<LayerPart> Plan(LayerContext context)
    {
        double eps = context.Layer.Number("Eps", 1e-5);
        double momentum = context.Layer.Number("Momentum", 0.1);
        bool affine = context.Layer.Boolean("Affine", false);
        bool track = context.Layer.Boolean("TrackRunningStats", false);
        if (context.Input.Count == 1)
        {
            context.Report(Descriptors.InstanceNormOnFeatures, Shapes.Format(context.Input));
            return ImmutableArray<LayerPart>.Empty;
        }
        if (context.Input.Count != 3)
        {
            context.Report(Descriptors.NormDoesNotFit, Name, Shapes.Format(context.Input), "images [B, C, H, W]");
            return ImmutableArray<LayerPart>.Empty;
        }
        if (context.Input[1] * context.Input[2] == 1)
        {
            // One pixel per (sample, channel): the instance's variance is 0 and every output would be β (PyTorch refuses it at run time).
            context.Report(Descriptors.NormDoesNotFit, Name, Shapes.Format(context.Input), "images with more than one pixel per channel; after GlobalAvgPool use BatchNorm or LayerNorm");
            return ImmutableArray<LayerPart>.Empty;
        }
        if (!context.RequirePositive("InstanceNorm Eps", eps)) return ImmutableArray<LayerPart>.Empty;
        if (!(momentum >= 0 && momentum <= 1))
        {
            context.Report(Descriptors.NonPositiveSize, "InstanceNorm Momentum (between 0 and 1)", Invariant.Short(momentum));
            return ImmutableArray<LayerPart>.Empty;
        }

        long channels = context.Input[0];
        return ImmutableArray.Create(new LayerPart(
            "instancenorm",
            Name,
            Modules + ".InstanceNorm2d",
            $"{Nn}.InstanceNorm2d({channels}, eps: {Invariant.Double(eps)}, momentum: {Invariant.Double(momentum)}, affine: {(affine ? "true" : "false")}, track_running_stats: {(track ? "true" : "false")}, dtype: dtype)",
            EquatableArray<string>.Empty,
            $"normalizes each of {channels} channels per sample over (H, W)" + (track ? $"; running averages for eval, momentum {Invariant.Short(momentum)}" : ""),
            context.Input,
            affine ? 2 * channels : 0,
            affine ? "γ=1, β=0" : ""));
    }
}
