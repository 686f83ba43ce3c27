using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[SelectToken(i)] → ModelDsl.SelectToken: [T, D] → [D], position i (ViT's class token); 0 ≤ i &lt; T (MD0003).</summary>
internal sealed class SelectTokenRule : LayerRule
{
    public override string Name => "SelectToken";

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        long index = (long)context.Number("Index");
        string display = $"SelectToken({index})";
        if (context.Input.Count != 2)
        {
            context.Report(Descriptors.NeedsSequence, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        if (!context.RequirePositive("SelectToken index + 1", index + 1) || !context.RequirePositive($"SelectToken steps after the index ({context.Input[0]} steps, index {index})", context.Input[0] - index))
            return ImmutableArray<PlannedLayer>.Empty;
        return ImmutableArray.Create(PlannedLayer.Simple("selecttoken", display, "global::ModelDsl.SelectToken",
            CallPlan.New("global::ModelDsl.SelectToken", CallArgument.Long(index)), Shapes.Of(context.Input[1]),
            $"step {index} of {context.Input[0]}") with { Kind = Name });
    }
}
