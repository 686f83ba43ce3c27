using System.Collections.Immutable;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [InstanceNorm] → nn.InstanceNorm2d(C): each (sample, channel) over (H, W) (5.3.3). γ starts at 1 and β at 0 when
/// Affine (TorchSharp's NormBase resets them). With TrackRunningStats, eval uses the running averages.
/// </summary>
internal sealed class InstanceNormRule : LayerRule
{
    public override string Name => "InstanceNorm";

    /// <summary>Why a sequence is refused (docs/dsl-reference.md, Norm axes): shared with GroupNormRule.</summary>
    internal const string SequenceAdvice = "; on a sequence [B, T, F] it would average each feature over the T steps, padding steps included: use LayerNorm, which normalizes each step over its features";

    public override ImmutableDictionary<string, object> Defaults { get; } = new System.Collections.Generic.Dictionary<string, object>
    {
        ["Eps"] = 1e-5,
        ["Momentum"] = 0.1,
        ["Affine"] = false,
        ["TrackRunningStats"] = false,
    }.ToImmutableDictionary();

    public override LayerTraits Traits => LayerTraits.Transparent;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        double eps = context.Number("Eps");
        double momentum = context.Number("Momentum");
        bool affine = context.Boolean("Affine");
        bool track = context.Boolean("TrackRunningStats");
        if (context.Input.Count == 1)
        {
            context.Report(Descriptors.InstanceNormOnFeatures, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        if (context.Input.Count != 3)
        {
            context.Report(Descriptors.NormDoesNotFit, Name, Shapes.Format(context.Input), "images [B, C, H, W]" + (context.Input.Count == 2 ? SequenceAdvice : ""));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        if (context.Input[1] * context.Input[2] == 1)
        {
            // One pixel per (sample, channel): the instance's variance is 0 and every output would be β (PyTorch refuses it at run time).
            context.Report(Descriptors.NormDoesNotFit, Name, Shapes.Format(context.Input), "images with more than one pixel per channel; after GlobalAvgPool use BatchNorm or LayerNorm");
            return ImmutableArray<PlannedLayer>.Empty;
        }
        if (!context.RequirePositive("InstanceNorm Eps", eps)) return ImmutableArray<PlannedLayer>.Empty;
        if (!(momentum >= 0 && momentum <= 1))
        {
            context.Report(Descriptors.NonPositiveSize, "InstanceNorm Momentum (between 0 and 1)", Invariant.Short(momentum));
            return ImmutableArray<PlannedLayer>.Empty;
        }

        long channels = context.Input[0];
        return ImmutableArray.Create(new PlannedLayer(
            "instancenorm",
            Name,
            Modules + ".InstanceNorm2d",
            CallPlan.Method(Nn + ".InstanceNorm2d", CallArgument.Long(channels), CallArgument.Double(eps, "eps"), CallArgument.Double(momentum, "momentum"),
                CallArgument.Bool(affine, "affine"), CallArgument.Bool(track, "track_running_stats"), CallArgument.DType),
            EquatableArray<CallPlan>.Empty,
            $"normalizes each of {channels} channels per sample over (H, W)" + (track ? $"; running averages for eval, momentum {Invariant.Short(momentum)}" : ""),
            context.Input,
            affine ? 2 * channels : 0,
            affine ? "γ=1, β=0" : "") {
            Kind = Name,
            Role = LayerRole.Normalization,
            Gamma = affine ? "weight" : null,
            Tensors = PlannedTensor.Affine(affine, channels).Concat(track ? PlannedTensor.RunningStatistics(channels) : new PlannedTensor[0]).ToEquatableArray(),
        });
    }
}
