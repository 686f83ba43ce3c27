using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [Dropout2d(rate)] or [Dropout2d(Keep = p)] (exactly one) → nn.Dropout2d: drops whole channels of [B, C, H, W] and
/// scales kept ones by 1/keep in training; identity in eval. Same checks and diagnostics as Dropout.
/// </summary>
internal sealed class Dropout2dRule : LayerRule
{
    public override string Name => "Dropout2d";

    public override ImmutableArray<LayerPart> Plan(LayerContext context)
    {
        if (DropoutProbability.Read(context) is not { } probability) return ImmutableArray<LayerPart>.Empty;
        var (drop, keep) = probability;

        string display = $"Dropout2d(keep {Invariant.Short(keep)})";
        if (context.Input.Count != 3)
        {
            context.Report(Descriptors.NeedsImage, display, Shapes.Format(context.Input));
            return ImmutableArray<LayerPart>.Empty;
        }
        return ImmutableArray.Create(LayerPart.Simple("dropout2d", display, Modules + ".Dropout2d",
            $"{Nn}.Dropout2d(p: {Invariant.Double(drop)})", context.Input,
            $"drops each of {context.Input[0]} channels with p = {Invariant.Short(drop)} and scales kept ones by 1/{Invariant.Short(keep)} in training; identity in eval"));
    }
}
