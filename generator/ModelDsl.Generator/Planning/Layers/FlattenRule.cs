using System.Collections.Immutable;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[Flatten] → nn.Flatten(): [B, C, H, W] becomes [B, C·H·W].</summary>
internal sealed class FlattenRule : LayerRule
{
    public override string Name => "Flatten";

    public override LayerTraits Traits => LayerTraits.Affine;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        var output = Shapes.Of(Shapes.Product(context.Input));
        return ImmutableArray.Create(PlannedLayer.Simple("flatten", "Flatten", Modules + ".Flatten", CallPlan.Method(Nn + ".Flatten"), output,
            $"{Shapes.Format(context.Input)} → {Shapes.Format(output)}") with { Kind = Name });
    }
}
