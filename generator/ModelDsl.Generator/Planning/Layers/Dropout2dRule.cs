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
        bool hasRate = context.Layer.Has("Rate");
        bool hasKeep = context.Layer.Has("Keep");
        if (hasRate == hasKeep)
        {
            context.Report(Descriptors.DropoutRateAndKeep, hasRate ? "both were given" : "neither was given");
            return ImmutableArray<LayerPart>.Empty;
        }
        double drop = hasRate ? context.Layer.Number("Rate", 0) : 1 - context.Layer.Number("Keep", 1);
        if (hasRate && !(drop >= 0 && drop < 1))
        {
            context.Report(Descriptors.DropoutOutOfRange, "rate", "[0, 1)", Invariant.Short(drop));
            return ImmutableArray<LayerPart>.Empty;
        }
        double keep = hasRate ? 1 - drop : context.Layer.Number("Keep", 1);
        if (!hasRate && !(keep > 0 && keep <= 1))
        {
            context.Report(Descriptors.DropoutOutOfRange, "keep probability", "(0, 1]", Invariant.Short(keep));
            return ImmutableArray<LayerPart>.Empty;
        }
        if (keep < 0.5) context.Report(Descriptors.LowKeepProbability, Invariant.Short(keep));

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
