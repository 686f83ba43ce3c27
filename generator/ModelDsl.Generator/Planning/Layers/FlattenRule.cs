using System.Collections.Immutable;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[Flatten] → nn.Flatten(): [B, C, H, W] becomes [B, C·H·W].</summary>
internal sealed class FlattenRule : LayerRule
{
    public override string Name => "Flatten";

    public override ImmutableArray<LayerPart> Plan(LayerContext context)
    {
        var output = Shapes.Of(Shapes.Product(context.Input));
        return ImmutableArray.Create(LayerPart.Simple("flatten", "Flatten", Modules + ".Flatten", Nn + ".Flatten()", output,
            $"{Shapes.Format(context.Input)} → {Shapes.Format(output)}"));
    }
}
