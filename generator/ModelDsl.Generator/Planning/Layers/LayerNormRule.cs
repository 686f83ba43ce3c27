using System.Collections.Immutable;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[LayerNorm] → nn.LayerNorm over every non-batch dimension of its input (per sample; 5.3.3).</summary>
internal sealed class LayerNormRule : LayerRule
{
    public override string Name => "LayerNorm";

    public override ImmutableArray<LayerPart> Plan(LayerContext context)
    {
        double eps = context.Layer.Number("Eps", 1e-5);
        bool affine = context.Layer.Boolean("Affine", true);
        if (!context.RequirePositive("LayerNorm Eps", eps)) return ImmutableArray<LayerPart>.Empty;
        long size = Shapes.Product(context.Input);
        return ImmutableArray.Create(new LayerPart(
            "layernorm",
            "LayerNorm",
            Modules + ".LayerNorm",
            $"{Nn}.LayerNorm({Shapes.LongArray(context.Input)}, eps: {Invariant.Double(eps)}, elementwise_affine: {(affine ? "true" : "false")}, dtype: dtype)",
            EquatableArray<string>.Empty,
            $"normalizes each sample over {Shapes.Format(context.Input).Replace("[B, ", "[")}",
            context.Input,
            affine ? checked(2 * size) : 0,
            affine ? "γ=1, β=0" : ""));
    }
}
