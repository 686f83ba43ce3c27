using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [Dropout(rate)] or [Dropout(Keep = p)] (exactly one). Inverted mode → nn.Dropout(drop = 1 − keep);
/// WeightScaling mode → ModelDsl.WeightScalingDropout (scales by keep in eval instead of 1/keep in training).
/// </summary>
internal sealed class DropoutRule : LayerRule
{
    public override string Name => "Dropout";

    public override ImmutableArray<LayerPart> Plan(LayerContext context)
    {
        if (DropoutProbability.Read(context) is not { } probability) return ImmutableArray<LayerPart>.Empty;
        var (drop, keep) = probability;

        bool weightScaling = context.Layer.EnumMember("Mode", "Inverted") == "WeightScaling";
        string display = $"Dropout(keep {Invariant.Short(keep)})";
        return ImmutableArray.Create(weightScaling
            ? LayerPart.Simple("dropout", display, "global::ModelDsl.WeightScalingDropout",
                $"new global::ModelDsl.WeightScalingDropout(keep: {Invariant.Double(keep)})", context.Input,
                $"weight scaling: keeps units with p = {Invariant.Short(keep)} in training, multiplies by {Invariant.Short(keep)} in eval")
            : LayerPart.Simple("dropout", display, Modules + ".Dropout",
                $"{Nn}.Dropout(p: {Invariant.Double(drop)})", context.Input,
                $"inverted: drops with p = {Invariant.Short(drop)} and scales kept units by 1/{Invariant.Short(keep)} in training; identity in eval"));
    }
}
