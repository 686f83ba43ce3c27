using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[GlobalAvgPool] → nn.AdaptiveAvgPool2d(1) then nn.Flatten: [B, C, H, W] → [B, C], so a Dense head can follow.</summary>
internal sealed class GlobalAvgPoolRule : LayerRule
{
    public override string Name => "GlobalAvgPool";

    public override ImmutableArray<LayerPart> Plan(LayerContext context)
    {
        if (context.Input.Count != 3)
        {
            context.Report(Descriptors.NeedsImage, Name, Shapes.Format(context.Input));
            return ImmutableArray<LayerPart>.Empty;
        }
        long channels = context.Input[0];
        var pooled = Shapes.Of(channels, 1, 1);
        var flat = Shapes.Of(channels);
        return ImmutableArray.Create(
            LayerPart.Simple("globalpool", Name, Modules + ".AdaptiveAvgPool2d", Nn + ".AdaptiveAvgPool2d(1)", pooled,
                $"mean of each channel over the whole {context.Input[1]}×{context.Input[2]} image"),
            LayerPart.Simple("globalflatten", "Flatten", Modules + ".Flatten", Nn + ".Flatten()", flat,
                $"{Shapes.Format(pooled)} → {Shapes.Format(flat)}"));
    }
}
