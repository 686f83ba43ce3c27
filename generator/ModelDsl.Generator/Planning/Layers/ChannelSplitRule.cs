using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [ChannelSplit(parts, index)] → ModelDsl.ChannelSplit: chunk index of parts along the channels of an image [C, H, W] or
/// the features of [F] (torch.chunk, ShuffleNetV2). Parts must divide the channels (MD0111); 0 ≤ index &lt; parts (MD0003).
/// </summary>
internal sealed class ChannelSplitRule : LayerRule
{
    public override string Name => "ChannelSplit";

    /// <summary>A selection of channels: an init search may look through it.</summary>
    public override LayerTraits Traits => LayerTraits.Transparent;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        long parts = (long)context.Number("Parts"), index = (long)context.Number("Index");
        string display = $"ChannelSplit({parts}, {index})";
        if (!context.RequirePositive("ChannelSplit parts", parts) || !context.RequirePositive("ChannelSplit index + 1", index + 1)) return ImmutableArray<PlannedLayer>.Empty;
        if (index >= parts)
        {
            context.Report(Descriptors.NonPositiveSize, $"ChannelSplit parts − index ({parts} parts, index {index})", Invariant.Count(parts - index));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        if (context.Input.Count != 3 && context.Input.Count != 1)
        {
            context.Report(Descriptors.NeedsImage, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        long channels = context.Input[0];
        if (channels % parts != 0)
        {
            context.ReportAt("Parts", Descriptors.ChannelsNotDivisible, display, "Parts", Invariant.Count(parts), Invariant.Count(channels));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        var output = context.Input.Count == 3 ? Shapes.Of(channels / parts, context.Input[1], context.Input[2]) : Shapes.Of(channels / parts);
        return ImmutableArray.Create(PlannedLayer.Simple("channelsplit", display, "global::ModelDsl.ChannelSplit",
            CallPlan.New("global::ModelDsl.ChannelSplit", CallArgument.Long(parts), CallArgument.Long(index)), output,
            $"channels {index * (channels / parts)}–{(index + 1) * (channels / parts) - 1} of {channels}") with { Kind = Name });
    }
}
