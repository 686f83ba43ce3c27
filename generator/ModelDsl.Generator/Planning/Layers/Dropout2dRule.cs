using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [Dropout2d(rate)] or [Dropout2d(Keep = p)] (exactly one) → nn.Dropout2d: drops whole channels of [B, C, H, W] and
/// scales kept ones by 1/keep in training; identity in eval. Same checks and diagnostics as Dropout.
/// </summary>
internal sealed class Dropout2dRule : LayerRule
{
    public override string Name => "Dropout2d";

    public override LayerTraits Traits => LayerTraits.AffineTransparent;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        if (DropoutProbability.Read(context) is not { } probability) return ImmutableArray<PlannedLayer>.Empty;
        var (drop, keep) = probability;

        string display = $"Dropout2d(keep {Invariant.Short(keep)})";
        if (context.Input.Count != 3)
        {
            context.Report(Descriptors.NeedsImage, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        return ImmutableArray.Create(PlannedLayer.Simple("dropout2d", display, Modules + ".Dropout2d",
            CallPlan.Method(Nn + ".Dropout2d", CallArgument.Double(drop, "p")), context.Input,
            $"drops each of {context.Input[0]} channels with p = {Invariant.Short(drop)} and scales kept ones by 1/{Invariant.Short(keep)} in training; identity in eval") with { Kind = Name });
    }
}
