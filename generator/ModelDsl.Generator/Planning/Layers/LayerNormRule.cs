using System.Collections.Immutable;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[LayerNorm] → nn.LayerNorm over every non-batch dimension of its input (per sample; 5.3.3).</summary>
internal sealed class LayerNormRule : LayerRule
{
    public override string Name => "LayerNorm";

    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty.Add("Eps", 1e-5).Add("Affine", true);

    public override LayerTraits Traits => LayerTraits.Transparent;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        double eps = context.Number("Eps");
        bool affine = context.Boolean("Affine");
        if (!context.RequirePositive("LayerNorm Eps", eps)) return ImmutableArray<PlannedLayer>.Empty;
        long size = Shapes.Product(context.Input);
        return ImmutableArray.Create(new PlannedLayer(
            "layernorm",
            "LayerNorm",
            Modules + ".LayerNorm",
            CallPlan.Method(Nn + ".LayerNorm", CallArgument.Shape(context.Input), CallArgument.Double(eps, "eps"), CallArgument.Bool(affine, "elementwise_affine"), CallArgument.DType),
            EquatableArray<CallPlan>.Empty,
            $"normalizes each sample over {Shapes.Format(context.Input).Replace("[B, ", "[")}",
            context.Input,
            affine ? checked(2 * size) : 0,
            affine ? "γ=1, β=0" : "")
        {
            Kind = Name,
            Role = LayerRole.Normalization,
            Gamma = affine ? "weight" : null,
            Vectorized = context.Input.Count == 1 ? new VectorizedLayerPlan(VectorizedForm.LayerNorm, context.Input[0], 0, affine, null, eps) : null,
        });
    }
}
