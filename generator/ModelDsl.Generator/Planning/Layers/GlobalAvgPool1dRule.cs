using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[GlobalAvgPool1d] → ModelDsl.GlobalAvgPool1d: [B, T, F] → [B, F], the mean over time.</summary>
internal sealed class GlobalAvgPool1dRule : LayerRule
{
    public override string Name => "GlobalAvgPool1d";

    public override LayerTraits Traits => LayerTraits.Affine;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        if (context.Input.Count != 2)
        {
            context.Report(Descriptors.NeedsSequence, Name, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        var output = Shapes.Of(context.Input[1]);
        string steps = context.PaddingMasked ? $"the unpadded steps of {context.Input[0]}" : $"{context.Input[0]} steps";
        return ImmutableArray.Create(PlannedLayer.Simple("timepool", Name, "global::ModelDsl.GlobalAvgPool1d", CallPlan.New("global::ModelDsl.GlobalAvgPool1d"), output,
            $"mean over {steps}: {Shapes.Format(context.Input)} → {Shapes.Format(output)}") with { Kind = Name, UsesPaddingMask = context.PaddingMasked });
    }
}
