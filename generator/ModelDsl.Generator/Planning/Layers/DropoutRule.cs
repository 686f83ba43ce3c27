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
        bool hasRate = context.Layer.Has("Rate");
        bool hasKeep = context.Layer.Has("Keep");
        if (hasRate == hasKeep)
        {
            context.Report(Descriptors.DropoutRateAndKeep, hasRate ? "both were given" : "neither was given");
            return ImmutableArray<LayerPart>.Empty;
        }

        double keep;
        if (hasRate)
        {
            double rate = context.Layer.Number("Rate", 0);
            if (!(rate >= 0 && rate < 1))
            {
                context.Report(Descriptors.DropoutOutOfRange, "rate", "[0, 1)", Invariant.Short(rate));
                return ImmutableArray<LayerPart>.Empty;
            }
            keep = 1 - rate;
        }
        else
        {
            keep = context.Layer.Number("Keep", 1);
            if (!(keep > 0 && keep <= 1))
            {
                context.Report(Descriptors.DropoutOutOfRange, "keep probability", "(0, 1]", Invariant.Short(keep));
                return ImmutableArray<LayerPart>.Empty;
            }
        }
        if (keep < 0.5) context.Report(Descriptors.LowKeepProbability, Invariant.Short(keep));

        // 1 − 0.8 is 0.19999999999999996 in binary; 15 significant digits give back the number the user meant.
        double drop = hasRate ? context.Layer.Number("Rate", 0) : double.Parse((1 - keep).ToString("G15", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
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
