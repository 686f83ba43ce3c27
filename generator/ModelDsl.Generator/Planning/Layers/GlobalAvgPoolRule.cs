using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[GlobalAvgPool] → nn.AdaptiveAvgPool2d(1) then nn.Flatten: [B, C, H, W] → [B, C], so a Dense head can follow.</summary>
internal sealed class GlobalAvgPoolRule : LayerRule
{
    public override string Name => "GlobalAvgPool";

    public override LayerTraits Traits => LayerTraits.Affine;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        if (context.Input.Count != 3)
        {
            context.Report(Descriptors.NeedsImage, Name, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        long channels = context.Input[0];
        var pooled = Shapes.Of(channels, 1, 1);
        var flat = Shapes.Of(channels);
        return ImmutableArray.Create(
            PlannedLayer.Simple("globalpool", Name, Modules + ".AdaptiveAvgPool2d", CallPlan.Method(Nn + ".AdaptiveAvgPool2d", CallArgument.Long(1)), pooled,
                $"mean of each channel over the whole {context.Input[1]}×{context.Input[2]} image") with { Kind = Name },
            PlannedLayer.Simple("globalflatten", "Flatten", Modules + ".Flatten", CallPlan.Method(Nn + ".Flatten"), flat,
                $"{Shapes.Format(pooled)} → {Shapes.Format(flat)}") with { Kind = Name });
    }
}
