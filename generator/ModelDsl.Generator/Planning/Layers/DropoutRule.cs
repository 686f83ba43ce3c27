using System.Collections.Immutable;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [Dropout(rate)] or [Dropout(Keep = p)] (exactly one). Inverted mode → nn.Dropout(drop = 1 − keep);
/// WeightScaling mode → ModelDsl.WeightScalingDropout (scales by keep in eval instead of 1/keep in training).
/// </summary>
internal sealed class DropoutRule : LayerRule
{
    public override string Name => "Dropout";

    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty.Add("Mode", "Inverted");

    public override LayerTraits Traits => LayerTraits.AffineTransparent;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        if (DropoutProbability.Read(context) is not { } probability) return ImmutableArray<PlannedLayer>.Empty;
        var (drop, keep) = probability;

        bool weightScaling = context.Enum("Mode") == "WeightScaling";
        string display = $"Dropout(keep {Invariant.Short(keep)})";
        long width = context.Input.Count == 1 ? context.Input[0] : 0;
        // The construction (the one place; issue #15 may swap the module for a runtime wrapper).
        PlannedLayer layer = weightScaling
            ? PlannedLayer.Simple("dropout", display, "global::ModelDsl.WeightScalingDropout",
                CallPlan.New("global::ModelDsl.WeightScalingDropout", CallArgument.Double(keep, "keep")), context.Input,
                $"weight scaling: keeps units with p = {Invariant.Short(keep)} in training, multiplies by {Invariant.Short(keep)} in eval")
                with { Vectorized = new VectorizedLayerPlan(VectorizedForm.WeightScalingDropout, width, 0, false, null, keep) }
            : PlannedLayer.Simple("dropout", display, Modules + ".Dropout",
                CallPlan.Method(Nn + ".Dropout", CallArgument.Double(drop, "p")), context.Input,
                $"inverted: drops with p = {Invariant.Short(drop)} and scales kept units by 1/{Invariant.Short(keep)} in training; identity in eval")
                with { Vectorized = new VectorizedLayerPlan(VectorizedForm.Dropout, width, 0, false, null, drop) };
        return ImmutableArray.Create(layer with { Kind = Name });
    }
}
