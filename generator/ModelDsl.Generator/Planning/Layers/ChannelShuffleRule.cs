using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[ChannelShuffle(g)] → nn.ChannelShuffle(g) on [B, C, H, W] (ShuffleNet): the shape is kept; g must divide C (MD0111).</summary>
internal sealed class ChannelShuffleRule : LayerRule
{
    public override string Name => "ChannelShuffle";

    /// <summary>A permutation of channels: an init search may look through it.</summary>
    public override LayerTraits Traits => LayerTraits.Transparent;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        long groups = (long)context.Number("Groups");
        string display = $"ChannelShuffle({groups})";
        if (!context.RequirePositive("ChannelShuffle groups", groups)) return ImmutableArray<PlannedLayer>.Empty;
        if (context.Input.Count != 3)
        {
            context.Report(Descriptors.NeedsImage, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        if (context.Input[0] % groups != 0)
        {
            context.ReportAt("Groups", Descriptors.ChannelsNotDivisible, display, "Groups", Invariant.Count(groups), Invariant.Count(context.Input[0]));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        return ImmutableArray.Create(PlannedLayer.Simple("channelshuffle", display, Modules + ".ChannelShuffle",
            CallPlan.Method(Nn + ".ChannelShuffle", CallArgument.Long(groups)), context.Input,
            $"interleaves {groups} groups of {context.Input[0] / groups} channels") with { Kind = Name });
    }
}
